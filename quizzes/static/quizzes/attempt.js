/* Gofun checkpoint attempt: warns before unanswered questions are sent and
 * shows the time left. Progressive enhancement: without this script the
 * server sends the paper back with the unanswered questions marked, and the
 * deadline stays written out; the server alone decides what is on time. */
(function () {
    "use strict";

    var form = document.querySelector("form[data-quiz]");
    if (!form) {
        return;
    }

    function format(template, values) {
        return template.replace(/\{(\w+)\}/g, function (whole, name) {
            return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
        });
    }

    // Unanswered questions.
    var warning = form.querySelector("[data-quiz-warning]");
    var submitAnyway = form.querySelector("[data-quiz-submit-anyway]");

    function answered(question) {
        return question.querySelector("input:checked") !== null;
    }

    function mark(question, missing) {
        var note = question.querySelector("[data-quiz-missing]");
        var fieldset = question.querySelector("fieldset");
        question.classList.toggle("quiz__question--missing", missing);
        if (note) {
            note.hidden = !missing;
        }
        if (fieldset && note) {
            if (missing) {
                fieldset.setAttribute("aria-describedby", note.id);
            } else {
                fieldset.removeAttribute("aria-describedby");
            }
        }
    }

    form.addEventListener("change", function (event) {
        var question = event.target.closest("[data-quiz-question]");
        if (question && answered(question)) {
            mark(question, false);
        }
    });

    form.addEventListener("submit", function (event) {
        if (event.submitter && event.submitter.hasAttribute("data-quiz-submit-anyway")) {
            return;
        }
        var questions = Array.prototype.slice.call(form.querySelectorAll("[data-quiz-question]"));
        var missing = questions.filter(function (question) {
            return !answered(question);
        });
        questions.forEach(function (question) {
            mark(question, missing.indexOf(question) !== -1);
        });
        if (missing.length === 0 || !warning) {
            return;
        }
        event.preventDefault();
        var text = warning.querySelector("[data-quiz-warning-text]") || warning.querySelector("p");
        if (text) {
            text.textContent = format(warning.getAttribute("data-message"), {count: missing.length});
        }
        warning.hidden = false;
        if (submitAnyway) {
            submitAnyway.hidden = false;
        }
        warning.focus();
    });

    // The time left.
    var deadlineBox = form.querySelector("[data-deadline]");
    if (!deadlineBox) {
        return;
    }
    var deadline = Date.parse(deadlineBox.getAttribute("data-deadline"));
    var countdown = deadlineBox.querySelector("[data-countdown]");
    var announcer = deadlineBox.querySelector("[data-countdown-announcer]");
    if (isNaN(deadline) || !countdown) {
        return;
    }
    var announced = {};
    var timer = null;

    function tick() {
        var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
        var minutes = Math.floor(left / 60);
        if (left === 0) {
            countdown.textContent = deadlineBox.getAttribute("data-label-over");
            if (announcer && !announced.over) {
                announcer.textContent = countdown.textContent;
                announced.over = true;
            }
            window.clearInterval(timer);
        } else {
            countdown.textContent = format(deadlineBox.getAttribute("data-label-remaining"), {
                minutes: String(minutes),
                seconds: String(left % 60).padStart(2, "0")
            });
            // Screen readers hear the time left only now and then, not every second.
            [5, 1].forEach(function (mark) {
                if (announcer && minutes < mark && !announced[mark] && left > 0) {
                    announced[mark] = true;
                    announcer.textContent = format(deadlineBox.getAttribute("data-label-warning"), {
                        minutes: String(mark)
                    });
                }
            });
        }
        countdown.classList.toggle("quiz__countdown--urgent", left < 60);
    }

    countdown.hidden = false;
    tick();
    timer = window.setInterval(tick, 1000);
})();
