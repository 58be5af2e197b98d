/* Drafts (docs/uploads.md, "Drafts"): an editor with data-draft-key saves what is typed in
   it, and in its form's title field, to data-draft-url a moment after the member stops
   typing, and when the page is left with a save pending. The server keeps it as the
   member's draft of that form; posting the form discards it there. Without JavaScript
   nothing is saved as one types, but a refused post is still kept by the server. */
(function () {
  "use strict";

  var DELAY = 1500;

  function setUp(editor) {
    if (editor.dataset.draftReady) {
      return;
    }
    var box = document.getElementById(editor.dataset.input);
    var form = box && box.form;
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!form || !token) {
      return;
    }
    editor.dataset.draftReady = "1";
    var title = form.querySelector("input[name=title]");
    var status = editor.querySelector(".markdown-editor-draft");
    var timer = null;
    var inFlight = null;
    var submitted = false;

    function snapshot() {
      return (title ? title.value : "") + "\u0000" + box.value;
    }
    var saved = snapshot();

    function data() {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", token.value);
      body.append("key", editor.dataset.draftKey);
      body.append("title", title ? title.value : "");
      body.append("body", box.value);
      return body;
    }

    function show(text) {
      if (status) {
        status.textContent = text || "";
      }
    }

    function save() {
      timer = null;
      var now = snapshot();
      if (submitted || now === saved) {
        return;
      }
      inFlight = window.AbortController ? new AbortController() : null;
      fetch(editor.dataset.draftUrl, {
        method: "POST",
        body: data(),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: inFlight ? inFlight.signal : undefined,
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (response.ok) {
              saved = now;
              show(answer.message);
            } else {
              show(answer.error);
            }
          });
        })
        .catch(function () {
          /* offline or aborted: the next keystroke tries again */
        });
    }

    function schedule() {
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(save, DELAY);
    }

    box.addEventListener("input", schedule);
    if (title) {
      title.addEventListener("input", schedule);
    }
    // Posting keeps the text itself (a refused post is kept by the server): no save may
    // arrive after the post and bring back a draft it discarded.
    form.addEventListener("submit", function () {
      submitted = true;
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      if (inFlight) {
        inFlight.abort();
      }
    });
    // Leaving the page with a save pending: send it on the way out.
    window.addEventListener("pagehide", function () {
      if (timer && !submitted && snapshot() !== saved && navigator.sendBeacon) {
        clearTimeout(timer);
        timer = null;
        navigator.sendBeacon(editor.dataset.draftUrl, data());
      }
    });
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("[data-draft-key]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUpAll(document);
    });
  } else {
    setUpAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
})();
