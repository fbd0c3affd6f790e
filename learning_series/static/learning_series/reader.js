/* Gofun lesson reader: turns the one-long-page lesson into slides read one at
 * a time (← / → keys, buttons, "3 / 10", a progress bar, #slide-N links).
 * Progressive enhancement: without this script every slide stays visible. */
(function () {
    "use strict";

    var reader = document.querySelector("[data-reader]");
    if (!reader) {
        return;
    }
    var slides = Array.prototype.slice.call(reader.querySelectorAll("[data-slide]"));
    var controls = reader.querySelector("[data-reader-controls]");
    if (!controls || slides.length < 2) {
        return;
    }
    var previousButton = controls.querySelector("[data-reader-previous]");
    var nextButton = controls.querySelector("[data-reader-next]");
    var modeButton = controls.querySelector("[data-reader-mode]");
    var position = controls.querySelector("[data-reader-position]");
    var progress = controls.querySelector("[data-reader-progress]");
    var current = 0;
    var oneAtATime = true;

    function slideIndexFromHash() {
        var match = /^#slide-(\d+)$/.exec(window.location.hash);
        if (!match) {
            return null;
        }
        var number = parseInt(match[1], 10);
        return number >= 1 && number <= slides.length ? number - 1 : null;
    }

    function setDisabled(button, disabled) {
        // aria-disabled keeps the button focusable, so focus is not lost
        // when the reader reaches the first or last slide.
        button.setAttribute("aria-disabled", disabled ? "true" : "false");
    }

    function render() {
        slides.forEach(function (slide, index) {
            slide.hidden = oneAtATime && index !== current;
        });
        position.textContent = current + 1 + " / " + slides.length;
        progress.value = current + 1;
        setDisabled(previousButton, current === 0);
        setDisabled(nextButton, current === slides.length - 1);
        previousButton.hidden = !oneAtATime;
        nextButton.hidden = !oneAtATime;
        progress.hidden = !oneAtATime;
        position.parentNode.hidden = !oneAtATime;
        modeButton.setAttribute("aria-pressed", oneAtATime ? "false" : "true");
        modeButton.textContent = oneAtATime
            ? modeButton.getAttribute("data-label-all")
            : modeButton.getAttribute("data-label-slides");
        reader.classList.toggle("lesson--one-at-a-time", oneAtATime);
    }

    function goTo(index) {
        if (index < 0 || index >= slides.length || index === current) {
            return;
        }
        current = index;
        render();
        if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", "#slide-" + (current + 1));
        }
    }

    previousButton.addEventListener("click", function () {
        goTo(current - 1);
    });
    nextButton.addEventListener("click", function () {
        goTo(current + 1);
    });
    modeButton.addEventListener("click", function () {
        oneAtATime = !oneAtATime;
        render();
        if (!oneAtATime) {
            slides[current].scrollIntoView();
        }
    });

    document.addEventListener("keydown", function (event) {
        if (!oneAtATime || event.defaultPrevented) {
            return;
        }
        if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
            return;
        }
        var target = event.target;
        var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
        if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) {
            return;
        }
        if (event.key === "ArrowRight") {
            goTo(current + 1);
            event.preventDefault();
        } else if (event.key === "ArrowLeft") {
            goTo(current - 1);
            event.preventDefault();
        } else if (event.key === "Home") {
            goTo(0);
            event.preventDefault();
        } else if (event.key === "End") {
            goTo(slides.length - 1);
            event.preventDefault();
        }
    });

    // A link to #slide-N (from another page or the slide's own link) opens it.
    window.addEventListener("hashchange", function () {
        var index = slideIndexFromHash();
        if (index !== null) {
            current = index;
            render();
            slides[current].focus();
        }
    });

    var fromHash = slideIndexFromHash();
    current = fromHash === null ? 0 : fromHash;
    controls.hidden = false;
    render();
})();
