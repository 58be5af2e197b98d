// The mention picker of the Markdown editor (templates/components/_markdown_editor.html,
// docs/mentions.md). Typing "@" and a few letters asks the server for members to mention
// (members.views_mentions: an HTML fragment, a listbox of options) and shows them under the
// text box. Arrow keys move through them, Enter or Tab picks one, Escape closes; a click
// picks too. The text box keeps the focus and names the active option with
// aria-activedescendant (the combobox pattern on a textarea, which may carry no role).
// Without this script one types @username by hand.
(function () {
  "use strict";
  if (window.vecheMentions) {
    return;
  }
  window.vecheMentions = true;

  var script = document.currentScript;
  var url = script && script.dataset.mentionUrl;
  // "@" at the start or after a character no name holds, then what is typed of the name.
  var TYPED = /(?:^|[^\w@.+-])@([\w.+-]{0,60})$/;
  var counter = 0;

  function tagsOf(textarea) {
    if (textarea.dataset.mentionTags) {
      return textarea.dataset.mentionTags;
    }
    var field = textarea.form && textarea.form.querySelector("input[name=tags]");
    return field ? field.value : "";
  }

  function attach(textarea) {
    if (textarea.dataset.mentionsReady) {
      return;
    }
    textarea.dataset.mentionsReady = "1";
    counter += 1;
    var picker = document.createElement("span");
    picker.className = "mention-picker";
    picker.id = "mention-picker-" + counter;
    textarea.insertAdjacentElement("afterend", picker);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-haspopup", "listbox");
    var state = { open: false, start: -1, query: null, timer: null, request: 0 };

    function options() {
      return Array.prototype.slice.call(picker.querySelectorAll("[role=option][data-username]"));
    }

    function active() {
      return picker.querySelector("[role=option][aria-selected=true]");
    }

    function activate(option) {
      options().forEach(function (each) {
        each.setAttribute("aria-selected", each === option ? "true" : "false");
      });
      if (option) {
        textarea.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      state.open = false;
      state.query = null;
      state.request += 1;
      picker.innerHTML = "";
      textarea.removeAttribute("aria-activedescendant");
      textarea.removeAttribute("aria-controls");
    }

    function show(html) {
      picker.innerHTML = html;
      var list = picker.querySelector("[role=listbox]");
      if (!list) {
        close();
        return;
      }
      list.id = picker.id + "-list";
      textarea.setAttribute("aria-controls", list.id);
      state.open = true;
      activate(options()[0] || null);
    }

    function fetchSuggestions(query) {
      var ticket = (state.request += 1);
      var params = new URLSearchParams({ q: query, tags: tagsOf(textarea) });
      fetch(url + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          if (ticket === state.request && state.query !== null) {
            show(html);
          }
        })
        .catch(close);
    }

    function typed() {
      var caret = textarea.selectionStart;
      if (caret !== textarea.selectionEnd) {
        return null;
      }
      var before = textarea.value.slice(Math.max(0, caret - 62), caret);
      var match = TYPED.exec(before);
      if (!match) {
        return null;
      }
      return { start: caret - match[1].length - 1, query: match[1] };
    }

    function update() {
      var found = typed();
      if (!found) {
        close();
        return;
      }
      if (found.query === state.query && found.start === state.start) {
        return;
      }
      state.start = found.start;
      state.query = found.query;
      clearTimeout(state.timer);
      state.timer = setTimeout(function () {
        fetchSuggestions(found.query);
      }, 150);
    }

    function pick(option) {
      var caret = textarea.selectionStart;
      var text = "@" + option.dataset.username + " ";
      close();
      textarea.setRangeText(text, state.start, caret, "end");
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    textarea.addEventListener("input", update);
    textarea.addEventListener("click", update);
    textarea.addEventListener("blur", function () {
      // After a click on an option (mousedown keeps the focus, see below).
      setTimeout(close, 150);
    });
    textarea.addEventListener("keydown", function (event) {
      if (!state.open) {
        return;
      }
      var all = options();
      var current = all.indexOf(active());
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) {
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        activate(all[(current + step + all.length) % all.length]);
      } else if ((event.key === "Enter" || event.key === "Tab") && current >= 0) {
        event.preventDefault();
        pick(all[current]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    picker.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the text box
      var option = event.target.closest("[role=option][data-username]");
      if (option) {
        pick(option);
      }
    });
  }

  function attachAll() {
    if (!url) {
      return;
    }
    document.querySelectorAll("[data-markdown-editor]").forEach(function (editor) {
      var textarea = document.getElementById(editor.dataset.input);
      if (textarea) {
        attach(textarea);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
  // Forms that htmx swaps in (an answer's edit form) bring editors of their own.
  document.addEventListener("htmx:afterSettle", attachAll);
})();
