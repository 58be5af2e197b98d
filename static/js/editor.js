// The Markdown editor (templates/components/_markdown_editor.html): upload images and files
// by the "Upload a file" button, by dropping them on the text or by pasting them; the
// Markdown the server returns goes in at the cursor. The preview is htmx's (no code here).
// Without this script the button opens the upload page and the form still posts.
(function () {
  "use strict";
  if (window.vecheMarkdownEditor) {
    return;
  }
  window.vecheMarkdownEditor = true;

  function csrfToken(editor) {
    var form = editor.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || start;
    var before = textarea.value.slice(0, start);
    var gap = before && !/\n$/.test(before) ? "\n" : "";
    textarea.setRangeText(gap + text + "\n", start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
  }

  function upload(editor, textarea, file) {
    var status = editor.querySelector(".markdown-editor-status");
    var data = new FormData();
    data.append("file", file, file.name || "pasted.png");
    status.textContent = editor.dataset.uploading;
    fetch(editor.dataset.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(editor), Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (result.ok) {
          insertAtCursor(textarea, result.body.markdown);
          status.textContent = editor.dataset.uploaded;
        } else {
          status.textContent = result.body.error || editor.dataset.failed;
        }
      })
      .catch(function () {
        status.textContent = editor.dataset.failed;
      });
  }

  function uploadAll(editor, textarea, files) {
    Array.prototype.forEach.call(files, function (file) {
      upload(editor, textarea, file);
    });
  }

  function setUp(editor) {
    if (editor.dataset.ready || !editor.dataset.uploadUrl) {
      return;
    }
    editor.dataset.ready = "1";
    var textarea = document.getElementById(editor.dataset.input);
    var button = editor.querySelector(".markdown-editor-upload");
    var hint = editor.querySelector(".markdown-editor-hint");
    if (!textarea || !button) {
      return;
    }
    var picker = document.createElement("input");
    picker.type = "file";
    picker.multiple = true;
    picker.hidden = true;
    editor.appendChild(picker);
    if (hint) {
      hint.hidden = false;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      picker.click();
    });
    picker.addEventListener("change", function () {
      uploadAll(editor, textarea, picker.files);
      picker.value = "";
    });
    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
        editor.classList.add("is-dropping");
      }
    });
    textarea.addEventListener("dragleave", function () {
      editor.classList.remove("is-dropping");
    });
    textarea.addEventListener("drop", function (event) {
      editor.classList.remove("is-dropping");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        event.preventDefault();
        uploadAll(editor, textarea, event.dataTransfer.files);
      }
    });
    textarea.addEventListener("paste", function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (files && files.length) {
        event.preventDefault();
        uploadAll(editor, textarea, files);
      }
    });
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("[data-markdown-editor]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUpAll(document);
    });
  } else {
    setUpAll(document);
  }
  // Editors that htmx swaps in (an edit form loaded into the page).
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
})();
