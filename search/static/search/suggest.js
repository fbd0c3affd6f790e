// Lesson-title suggestions for the search boxes, filled into a <datalist> as
// the person types. Without this script the search page lists matching titles.
(function () {
    "use strict";
    var form = document.querySelector("form.site-search[data-suggest-url]");
    var list = document.getElementById("site-search-suggestions");
    if (!form || !list || !window.fetch) {
        return;
    }
    var url = form.getAttribute("data-suggest-url");
    var timer = null;
    var latest = "";

    function fill(titles) {
        list.textContent = "";
        titles.forEach(function (title) {
            var option = document.createElement("option");
            option.value = title;
            list.appendChild(option);
        });
    }

    function lookup(text) {
        latest = text;
        fetch(url + "?format=json&q=" + encodeURIComponent(text), {
            credentials: "same-origin",
            headers: { "Accept": "application/json" }
        })
            .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
            .then(function (data) {
                if (text === latest) {
                    fill(data.suggestions.map(function (item) { return item.title; }));
                }
            })
            .catch(function () { fill([]); });
    }

    document.querySelectorAll("input[list='site-search-suggestions']").forEach(function (input) {
        input.addEventListener("input", function () {
            var text = input.value.trim();
            window.clearTimeout(timer);
            if (!text) {
                fill([]);
                return;
            }
            timer = window.setTimeout(function () { lookup(text); }, 200);
        });
    });
}());
