// The lesson editor's reading time, recounted as slides are typed. The rules
// (what Markdown a reader never sees, characters a minute, the budget) come
// from the server in data-reading-time-config: learning_series/reading.py
// holds them, and without JavaScript the server's estimate stands.
const gofunReadingTime = () => {
  "use strict";
  const panel = document.querySelector("[data-reading-time-config]");
  if (!panel) return;
  const config = JSON.parse(panel.dataset.readingTimeConfig);
  const output = panel.querySelector("[data-reading-time-output]");
  const rules = config.rules.map(([source, flags, replacement]) => [
    new RegExp(source, `g${flags}`),
    replacement,
  ]);
  const whitespace = /\s+/gu;
  const slideField = /^slides-(\d+)-value-(title|body)$/;
  const form = panel.closest("form") || document;

  const visibleCharacters = (text) => {
    let remaining = text || "";
    for (const [pattern, replacement] of rules) {
      remaining = remaining.replace(pattern, replacement);
    }
    return Array.from(remaining.replace(whitespace, "")).length;
  };

  const characters = () => {
    let total = 0;
    form.querySelectorAll("input[name^='slides-'], textarea[name^='slides-']").forEach((field) => {
      const match = slideField.exec(field.name);
      if (!match) return;
      const deleted = form.querySelector(`input[name='slides-${match[1]}-deleted']`);
      if (deleted && deleted.value === "1") return;
      total += visibleCharacters(field.value);
    });
    return total;
  };

  const render = () => {
    const seconds = Math.ceil((characters() * 60) / config.perMinute);
    let state = "empty";
    let message = config.messages.empty;
    if (seconds > 0) {
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      state = seconds > config.budgetMinutes * 60 ? "over-budget" : "within-budget";
      const forms = state === "over-budget" ? config.messages.over : config.messages.within;
      message = (minutes === 1 ? forms.one : forms.other).replace("{minutes}", minutes);
    }
    if (output.textContent !== message) output.textContent = message;
    panel.dataset.readingTime = state;
    panel.classList.toggle("help-warning", state === "over-budget");
    panel.classList.toggle("help-info", state !== "over-budget");
  };

  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // Slides added, removed or moved by the StreamField editor.
  new MutationObserver(schedule).observe(form, { childList: true, subtree: true });
};

// The admin loads panel scripts in the page's head, before the form exists.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", gofunReadingTime);
} else {
  gofunReadingTime();
}
