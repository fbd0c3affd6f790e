// Wagtail's tag field (jQuery tag-it) hides the field's own input and types
// into one it adds beside it, without a label: screen readers announce a
// nameless text box (axe-core: "Form elements must have labels"). Give the
// added input the field's label and help text as soon as tag-it makes it.
(() => {
  const name = (added) => {
    const field = added.closest("ul")?.previousElementSibling;
    if (!field || !field.matches('[data-controller~="w-tag"]') || !field.id) {
      return;
    }
    const label = document.getElementById(`${field.id}-label`)
      || document.querySelector(`label[for="${field.id}"]`);
    if (label) {
      if (!label.id) label.id = `${field.id}-label`;
      added.setAttribute("aria-labelledby", label.id);
    }
    const help = field.getAttribute("aria-describedby");
    if (help) added.setAttribute("aria-describedby", help);
  };
  const nameAll = () => {
    document
      .querySelectorAll(".tagit input.ui-autocomplete-input:not([aria-labelledby])")
      .forEach(name);
  };
  document.addEventListener("DOMContentLoaded", () => {
    nameAll();
    new MutationObserver(nameAll).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
