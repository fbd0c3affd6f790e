/* Gofun lesson reader: turns the one-long-page lesson into a deck read one
 * slide at a time — buttons in a bar at the bottom of the screen, ← / → (and
 * Home / End) keys, swipes, "3 / 10" and a progress bar, #slide-N links — with
 * a compact header, and the checkpoint or 「読み終えました」 at the end of the
 * last slide. Progressive enhancement: without this script every slide stays
 * visible, the checkpoint at the bottom.
 *
 * Other scripts follow the reader through one event and nothing global: each
 * time a slide is shown (the first one included) the [data-reader] element
 * dispatches a bubbling CustomEvent "gofun:slide" with
 * detail {number, total, lessonId}. The first one waits for DOMContentLoaded
 * (or the load event, if this script came later), so a script deferred after
 * this one hears it too. */
(function () {
    "use strict";

    // A swipe turns the slide when the finger travels this far, mostly
    // sideways, quickly: a vertical scroll, a slow drag selecting text or a
    // long press never does.
    var SWIPE_MIN_DISTANCE = 60; // CSS pixels
    var SWIPE_MAX_SLOPE = 0.5; // vertical travel / horizontal travel
    var SWIPE_MAX_DURATION = 800; // milliseconds

    var reader = document.querySelector("[data-reader]");
    if (!reader) {
        return;
    }
    var slides = Array.prototype.slice.call(reader.querySelectorAll("[data-slide]"));
    var controls = reader.querySelector("[data-reader-controls]");
    if (!controls || slides.length === 0) {
        return;
    }
    var slideList = reader.querySelector("#slides");
    var previousButton = controls.querySelector("[data-reader-previous]");
    var nextButton = controls.querySelector("[data-reader-next]");
    var position = controls.querySelector("[data-reader-position]");
    var progress = controls.querySelector("[data-reader-progress]");
    var modeButton = reader.querySelector("[data-reader-mode]");
    var about = reader.querySelector("[data-reader-about]");
    var announcer = reader.querySelector("[data-reader-announcer]");
    // The checkpoint panel (quizzes) or the read-to-end form ends the deck.
    var ending = reader.querySelector("#checkpoint");
    var lessonId = parseInt(reader.getAttribute("data-lesson-id"), 10);
    var last = slides.length - 1;
    var current = 0;
    var oneAtATime = true;
    var firstSlideAnnounced = false;

    function indexFromHash() {
        if (window.location.hash === "#checkpoint") {
            return last;
        }
        var match = /^#slide-(\d+)$/.exec(window.location.hash);
        if (!match) {
            return null;
        }
        var number = parseInt(match[1], 10);
        return number >= 1 && number <= slides.length ? number - 1 : null;
    }

    function headingOf(slide) {
        return slide.querySelector(".slide__title") || slide;
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
        if (ending) {
            ending.hidden = oneAtATime && current !== last;
        }
        position.textContent = current + 1 + " / " + slides.length;
        progress.value = current + 1;
        setDisabled(previousButton, current === 0);
        setDisabled(nextButton, current === last);
        controls.hidden = !oneAtATime;
        modeButton.setAttribute("aria-pressed", oneAtATime ? "false" : "true");
        modeButton.textContent = oneAtATime
            ? modeButton.getAttribute("data-label-all")
            : modeButton.getAttribute("data-label-slides");
        reader.classList.toggle("lesson--one-at-a-time", oneAtATime);
        reader.classList.toggle("lesson--at-end", current === last);
    }

    function dispatchSlideShown() {
        firstSlideAnnounced = true;
        reader.dispatchEvent(new CustomEvent("gofun:slide", {
            bubbles: true,
            detail: { number: current + 1, total: slides.length, lessonId: lessonId }
        }));
    }

    function announce() {
        if (!announcer) {
            return;
        }
        announcer.textContent = announcer.getAttribute("data-template")
            .replace("{number}", String(current + 1))
            .replace("{total}", String(slides.length))
            .replace("{title}", headingOf(slides[current]).textContent.trim());
    }

    function focusCurrentHeading() {
        var heading = headingOf(slides[current]);
        if (!heading.hasAttribute("tabindex")) {
            heading.setAttribute("tabindex", "-1");
        }
        heading.focus();
    }

    // Shows slide `index` after a reader's action: the address, focus and the
    // live region follow, and listeners hear of it.
    function show(index) {
        if (!oneAtATime || index < 0 || index > last || index === current) {
            return;
        }
        current = index;
        render();
        if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", "#slide-" + (current + 1));
        }
        focusCurrentHeading();
        announce();
        dispatchSlideShown();
    }

    previousButton.addEventListener("click", function () {
        show(current - 1);
    });
    nextButton.addEventListener("click", function () {
        show(current + 1);
    });
    modeButton.addEventListener("click", function () {
        oneAtATime = !oneAtATime;
        render();
        if (oneAtATime) {
            dispatchSlideShown();
        } else {
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
        var destinations = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: last };
        if (Object.prototype.hasOwnProperty.call(destinations, event.key)) {
            show(destinations[event.key]);
            event.preventDefault();
        }
    });

    // Swipes. The listeners are passive and never cancel anything, so
    // vertical scrolling, pinch zoom and text selection stay the browser's.
    var touchStart = null;

    function scrollsSideways(element) {
        for (var node = element; node && node !== slideList; node = node.parentElement) {
            var tag = node.tagName.toLowerCase();
            if (tag === "input" || tag === "textarea" || tag === "select" || node.isContentEditable) {
                return true;
            }
            if (node.scrollWidth > node.clientWidth + 1) {
                var overflow = window.getComputedStyle(node).overflowX;
                if (overflow === "auto" || overflow === "scroll") {
                    return true;
                }
            }
        }
        return false;
    }

    function textIsSelected() {
        var selection = window.getSelection ? window.getSelection() : null;
        return Boolean(selection && !selection.isCollapsed && selection.toString().trim());
    }

    function zoomedIn() {
        return Boolean(window.visualViewport && window.visualViewport.scale > 1.01);
    }

    slideList.addEventListener("touchstart", function (event) {
        touchStart = null;
        if (!oneAtATime || event.touches.length !== 1 || scrollsSideways(event.target)) {
            return;
        }
        var touch = event.touches[0];
        touchStart = { x: touch.clientX, y: touch.clientY, time: Date.now() };
    }, { passive: true });

    slideList.addEventListener("touchmove", function (event) {
        if (event.touches.length !== 1) {
            touchStart = null; // a second finger: pinch zoom
        }
    }, { passive: true });

    slideList.addEventListener("touchcancel", function () {
        touchStart = null;
    }, { passive: true });

    slideList.addEventListener("touchend", function (event) {
        var start = touchStart;
        touchStart = null;
        if (!start || event.touches.length !== 0 || event.changedTouches.length !== 1) {
            return;
        }
        var touch = event.changedTouches[0];
        var across = touch.clientX - start.x;
        var down = touch.clientY - start.y;
        if (Math.abs(across) < SWIPE_MIN_DISTANCE
                || Math.abs(down) > Math.abs(across) * SWIPE_MAX_SLOPE
                || Date.now() - start.time > SWIPE_MAX_DURATION
                || textIsSelected() || zoomedIn()) {
            return;
        }
        // Swiping left brings the next slide in, as turning a page does.
        show(across < 0 ? current + 1 : current - 1);
    }, { passive: true });

    // A link to #slide-N (from another page or the slide's own link) opens
    // that slide; #checkpoint (where the quiz pages send a learner back)
    // opens the last slide and its call to action.
    window.addEventListener("hashchange", function () {
        var index = indexFromHash();
        if (index === null) {
            return;
        }
        var changed = index !== current;
        current = index;
        render();
        if (window.location.hash === "#checkpoint" && ending) {
            ending.scrollIntoView();
        } else {
            focusCurrentHeading();
        }
        if (changed && oneAtATime) {
            announce();
            dispatchSlideShown();
        }
    });

    // The site header folds behind a menu button on narrow screens (CSS), so
    // the slide gets the screen; the button is made here because without
    // this script nothing is folded.
    function foldSiteHeader() {
        var header = document.querySelector(".site-header");
        var brand = header ? header.querySelector(".site-header__brand") : null;
        if (!brand) {
            return;
        }
        var menuButton = document.createElement("button");
        menuButton.type = "button";
        menuButton.className = "site-header__menu";
        menuButton.textContent = reader.getAttribute("data-label-menu");
        menuButton.setAttribute("aria-expanded", "false");
        menuButton.addEventListener("click", function () {
            var open = header.classList.toggle("site-header--open");
            menuButton.setAttribute("aria-expanded", open ? "true" : "false");
        });
        brand.parentNode.insertBefore(menuButton, brand.nextSibling);
        header.classList.add("site-header--collapsible");
    }

    var fromHash = indexFromHash();
    current = fromHash === null ? 0 : fromHash;
    foldSiteHeader();
    if (about) {
        about.open = false; // the summary, reading time and tags, one tap away
    }
    modeButton.hidden = false;
    reader.classList.add("lesson--enhanced");
    render();
    if (window.location.hash === "#checkpoint" && ending) {
        ending.scrollIntoView();
    } else if (fromHash !== null) {
        focusCurrentHeading();
    }

    function announceFirstSlide() {
        if (!firstSlideAnnounced) {
            dispatchSlideShown();
        }
    }
    if (document.readyState === "complete") {
        window.setTimeout(announceFirstSlide, 0);
    } else {
        document.addEventListener("DOMContentLoaded", announceFirstSlide);
        window.addEventListener("load", announceFirstSlide);
    }
})();
