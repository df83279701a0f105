// Search as you type, on top of the server-rendered pages: the results section of the page the
// server renders for the typed query replaces the current one, and the address follows, so
// every state can still be bookmarked. Without this script the form works as is.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  if (!input || !results || !window.fetch || !window.DOMParser) return;
  var timer = null;
  var asked = 0;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var form = input.form;
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        var v = String(value).trim();
        var isDefault = name === "offset" || (name === "sort" && v === "relevance");
        if (!isDefault && v !== "") params.append(name, value);
      });
      var url = "/?" + params.toString();
      var mine = ++asked;
      fetch(url, { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.text(); })
        .then(function (text) {
          if (mine !== asked) return;
          var doc = new DOMParser().parseFromString(text, "text/html");
          var fresh = doc.getElementById("results");
          if (!fresh) return;
          results.replaceWith(fresh);
          results = fresh;
          history.replaceState(null, "", url);
        })
        .catch(function () {});
    }, 200);
  }
  input.addEventListener("input", later);
  input.form.querySelectorAll("select, input[type=text]").forEach(function (el) {
    el.addEventListener(el.tagName === "SELECT" ? "change" : "input", later);
  });
})();
