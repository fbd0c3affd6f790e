// Names and roles that parts of Wagtail's own admin leave out, found by
// axe-core in the end-to-end journeys (e2e/test_axe.py, the journeys). Each
// fix runs on what is in the page and again whenever the admin adds to it.
(() => {
  const text = (element) => element.textContent.replace(/\s+/g, " ").trim();

  // The tag field (jQuery tag-it) hides the field's own input and types into
  // one it adds beside it, without a label: screen readers announce a
  // nameless text box. The field's label now points at the added input.
  const labelTagInput = (added) => {
    const field = added.closest("ul")?.previousElementSibling;
    if (!field || !field.matches('[data-controller~="w-tag"]') || !field.id) {
      return;
    }
    const label = document.querySelector(`label[for="${field.id}"]`);
    if (!label) return;
    added.id = `${field.id}-typed`;
    label.htmlFor = added.id;
    const help = field.getAttribute("aria-describedby");
    if (help) added.setAttribute("aria-describedby", help);
  };

  // "Also editing this page": each person is a button showing an avatar,
  // with their name in a tooltip (moved into tippy.js as the admin starts
  // it); the button had no name of its own.
  const nameSessionButton = (button) => {
    const content =
      button.querySelector(".w-editing-sessions__popup") ||
      button._tippy?.props.content;
    const name = content instanceof Element ? text(content) : String(content ?? "");
    if (name) button.setAttribute("aria-label", name);
  };

  // The workflow's dialogs (request changes, approve with a comment) are
  // named by their heading; their form's fields sit in a <ul> that also
  // holds <div>s, which is layout, not a list.
  const fixDialog = (dialog) => {
    const heading = dialog.querySelector("h1[id], h2[id]");
    if (heading) dialog.setAttribute("aria-labelledby", heading.id);
    dialog.querySelectorAll("ul.fields").forEach((list) => {
      if ([...list.children].some((child) => child.tagName !== "LI")) {
        list.setAttribute("role", "none");
        [...list.children].forEach((child) => {
          if (child.tagName === "LI") child.setAttribute("role", "none");
        });
      }
    });
  };

  const fixAll = () => {
    document
      .querySelectorAll(".tagit input.ui-autocomplete-input:not([id])")
      .forEach(labelTagInput);
    document
      .querySelectorAll(".w-editing-sessions__session:not([aria-label])")
      .forEach(nameSessionButton);
    document
      .querySelectorAll('.modal[role="dialog"]:not([aria-labelledby])')
      .forEach(fixDialog);
  };

  document.addEventListener("DOMContentLoaded", () => {
    fixAll();
    new MutationObserver(fixAll).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
