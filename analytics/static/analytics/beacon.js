/* Gofun view beacon: tells the server how far this view of a lesson went and
 * how long the page was on screen, for needs analysis and honest completion.
 *
 * It follows the reader through its "gofun:slide" event (every slide shown,
 * the first included) and, when every slide is on one page, through what
 * scrolls into view. It keeps the furthest slide shown and the last slide of
 * an unbroken run from slide 1 ("read through": jumping to the end with End
 * or a #checkpoint link shows the last slide without reading through), and
 * sends them in one small report when there is something new: on reaching
 * the last slide, when the page is hidden or left (navigator.sendBeacon,
 * which survives leaving), and just before a form at the end of the deck is
 * sent, so 「読み終えました」 never outruns its evidence.
 *
 * The report carries the view's signed id from the page and the CSRF token
 * of the page's forms;
 * the server accepts it only from the person whose view it is. Without this
 * script the view still counts, with the slide and time unknown. */
(function () {
    "use strict";

    var config = document.querySelector("[data-gofun-beacon]");
    if (!config || !window.FormData) {
        return;
    }
    var url = config.getAttribute("data-url");
    // The page's own forms (the site header's) carry the CSRF token.
    var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!csrfInput) {
        return;
    }
    var lessonId = parseInt(config.getAttribute("data-lesson"), 10);
    var reader = document.querySelector("[data-reader]");
    var slides = reader ? Array.prototype.slice.call(reader.querySelectorAll("[data-slide]")) : [];
    var MAX_SECONDS = 24 * 60 * 60;

    var shown = {};
    var total = slides.length;
    var furthest = 0;
    var through = 0;
    var visibleMilliseconds = 0;
    var visibleSince = document.visibilityState === "visible" ? Date.now() : null;
    var sent = { furthest: 0, through: 0, seconds: -1 };

    function seconds() {
        var spent = visibleMilliseconds;
        if (visibleSince !== null) {
            spent += Date.now() - visibleSince;
        }
        return Math.min(MAX_SECONDS, Math.floor(spent / 1000));
    }

    function report() {
        var data = new FormData();
        data.append("csrfmiddlewaretoken", csrfInput.value);
        data.append("view", config.getAttribute("data-view"));
        data.append("lesson", String(lessonId));
        data.append("furthest", String(furthest));
        data.append("through", String(through));
        data.append("seconds", String(seconds()));
        return data;
    }

    function pending() {
        return furthest > 0 && (furthest !== sent.furthest
            || through !== sent.through || seconds() !== sent.seconds);
    }

    function remember() {
        sent = { furthest: furthest, through: through, seconds: seconds() };
    }

    // Fire and forget: survives the page being left.
    function flush() {
        if (!pending()) {
            return;
        }
        var data = report();
        remember();
        if (navigator.sendBeacon && navigator.sendBeacon(url, data)) {
            return;
        }
        if (window.fetch) {
            window.fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
                .catch(function () {});
        }
    }

    // Waits for the answer (at most two seconds), then calls `next`.
    function flushThen(next) {
        if (!pending() || !window.fetch) {
            flush();
            next();
            return;
        }
        var data = report();
        remember();
        var done = false;
        function finish() {
            if (!done) {
                done = true;
                next();
            }
        }
        window.setTimeout(finish, 2000);
        window.fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
            .then(finish, finish);
    }

    function see(number, deckSize) {
        if (!(number >= 1)) {
            return;
        }
        if (deckSize > 0) {
            total = deckSize;
        }
        shown[number] = true;
        furthest = Math.max(furthest, number);
        while (shown[through + 1]) {
            through += 1;
        }
        if (total > 0 && furthest >= total) {
            flush(); // the end of the deck: the call to action is on screen
        }
    }

    document.addEventListener("gofun:slide", function (event) {
        var detail = event.detail || {};
        if (detail.lessonId === lessonId) {
            see(detail.number, detail.total);
        }
    });

    // Every slide on one page (the reader's "show all slides" mode, or no
    // reader at all): a slide counts as shown once half of it, or half the
    // screen, is on screen. In slide-by-slide mode the event says it.
    function slideByIntersection(entries) {
        if (reader && reader.classList.contains("lesson--one-at-a-time")) {
            return;
        }
        entries.forEach(function (entry) {
            var tallEnough = entry.intersectionRect.height >= window.innerHeight / 2;
            if (entry.isIntersecting && (entry.intersectionRatio >= 0.5 || tallEnough)) {
                var match = /^slide-(\d+)$/.exec(entry.target.id);
                if (match) {
                    see(parseInt(match[1], 10), slides.length);
                }
            }
        });
    }

    function watchScrolling() {
        if (!window.IntersectionObserver || slides.length === 0) {
            return;
        }
        var observer = new IntersectionObserver(slideByIntersection, { threshold: [0, 0.5, 1] });
        slides.forEach(function (slide) {
            observer.observe(slide);
        });
    }

    // After the reader has set itself up (it runs before DOMContentLoaded),
    // so the moment before it hides the other slides is not taken for reading.
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () {
            window.setTimeout(watchScrolling, 0);
        });
    } else {
        window.setTimeout(watchScrolling, 0);
    }

    document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden") {
            if (visibleSince !== null) {
                visibleMilliseconds += Date.now() - visibleSince;
                visibleSince = null;
            }
            flush();
        } else if (visibleSince === null) {
            visibleSince = Date.now();
        }
    });
    window.addEventListener("pagehide", flush);

    // A form at the end of the deck (「読み終えました」, starting the
    // checkpoint) is sent only after the report has reached the server.
    var ending = reader ? reader.querySelector("#checkpoint") : null;
    var resubmitting = false;
    if (ending) {
        ending.addEventListener("submit", function (event) {
            var form = event.target;
            if (resubmitting || !pending() || (form.method || "").toLowerCase() !== "post") {
                return;
            }
            event.preventDefault();
            var submitter = event.submitter || null;
            flushThen(function () {
                resubmitting = true;
                if (form.requestSubmit) {
                    form.requestSubmit(submitter);
                } else {
                    form.submit();
                }
            });
        });
    }
})();
