/*
 * The news desk's rich-text editor: Quill 2 (static/vendor/quill/, BSD-3-Clause) over
 * the body's <textarea>, plus the "Chèn ảnh vào bài" panel that uploads a picture and
 * inserts it with its caption as <figure><img><figcaption>.
 *
 * Progressive enhancement: without scripts the textarea stays and takes HTML. The
 * server sanitizes whatever arrives (news/sanitize.py), so nothing here is a safety
 * measure. No inline script or style attribute: Quill sets positions through the CSSOM,
 * which the Content-Security-Policy allows.
 */
(function () {
  "use strict";

  var textarea = document.querySelector("textarea[data-rich-text]");
  if (!textarea || typeof window.Quill === "undefined") {
    return;
  }
  var Quill = window.Quill;
  var form = textarea.form;
  // Words of the interface, translated by Django (news.views.EDITOR_MESSAGES, printed
  // with json_script: a data block, not a script, so the CSP has nothing to say).
  var messagesNode = document.getElementById("editor-messages");
  var T = messagesNode ? JSON.parse(messagesNode.textContent) : {};
  function t(key) {
    return T[key] || key;
  }

  // --- A picture with its caption, one block of the document ------------------------
  var BlockEmbed = Quill.import("blots/block/embed");

  class FigureBlot extends BlockEmbed {
    static create(value) {
      var node = super.create();
      var img = document.createElement("img");
      img.setAttribute("src", value.src || "");
      img.setAttribute("alt", value.alt || "");
      node.appendChild(img);
      if (value.caption) {
        var caption = document.createElement("figcaption");
        caption.textContent = value.caption;
        node.appendChild(caption);
      }
      return node;
    }

    static value(node) {
      var img = node.querySelector("img");
      var caption = node.querySelector("figcaption");
      return {
        src: img ? img.getAttribute("src") : "",
        alt: img ? img.getAttribute("alt") || "" : "",
        caption: caption ? caption.textContent : "",
      };
    }
  }
  FigureBlot.blotName = "figure";
  FigureBlot.tagName = "FIGURE";
  Quill.register(FigureBlot);

  // --- The editor -------------------------------------------------------------------
  var holder = document.createElement("div");
  holder.className = "rich-text";
  var area = document.createElement("div");
  holder.appendChild(area);
  textarea.parentNode.insertBefore(holder, textarea);
  textarea.hidden = true;

  var uploadPanel = document.querySelector("[data-image-upload]");

  var quill = new Quill(area, {
    theme: "snow",
    formats: [
      "header", "bold", "italic", "underline", "strike", "blockquote", "list", "link",
      "figure",
    ],
    modules: {
      toolbar: {
        container: [
          [{ header: [2, 3, 4, false] }],
          ["bold", "italic", "underline", "strike"],
          ["blockquote", { list: "ordered" }, { list: "bullet" }],
          ["link", "image"],
          ["clean"],
        ],
        handlers: {
          // Pictures go through the upload panel (resized copies, alt text, caption),
          // never into the text as data: addresses.
          image: function () {
            if (uploadPanel) {
              uploadPanel.scrollIntoView({ block: "center" });
              uploadPanel.querySelector("[data-upload-file]").focus();
            }
          },
        },
      },
    },
  });

  quill.setContents(quill.clipboard.convert({ html: textarea.value, text: "\n" }), "silent");

  // The editing area is named by the field's label, described by its help text.
  var label = document.getElementById(textarea.id + "_label");
  quill.root.setAttribute("role", "textbox");
  quill.root.setAttribute("aria-multiline", "true");
  if (label) {
    quill.root.setAttribute("aria-labelledby", label.id);
    label.addEventListener("click", function () {
      quill.focus();
    });
  }
  quill.root.setAttribute("aria-describedby", "body-editor-help");

  // Vietnamese names for the toolbar's buttons (Quill's have none).
  var names = {
    "button.ql-bold": "bold",
    "button.ql-italic": "italic",
    "button.ql-underline": "underline",
    "button.ql-strike": "strike",
    "button.ql-blockquote": "blockquote",
    'button.ql-list[value="ordered"]': "ordered",
    'button.ql-list[value="bullet"]': "bullet",
    "button.ql-link": "link",
    "button.ql-image": "image",
    "button.ql-clean": "clean",
    ".ql-header .ql-picker-label": "header",
  };
  var toolbar = quill.getModule("toolbar").container;
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", t("toolbar"));
  Object.keys(names).forEach(function (selector) {
    toolbar.querySelectorAll(selector).forEach(function (element) {
      element.setAttribute("aria-label", t(names[selector]));
      element.setAttribute("title", t(names[selector]));
    });
  });
  toolbar.querySelectorAll(".ql-header .ql-picker-item").forEach(function (item) {
    item.setAttribute("aria-label", t("level" + (item.getAttribute("data-value") || "")));
  });
  var linkInput = holder.querySelector(".ql-tooltip input[type=text]");
  if (linkInput) {
    linkInput.setAttribute("aria-label", t("linkAddress"));
    linkInput.setAttribute("data-link", "https://");
  }

  // --- Back into the textarea -----------------------------------------------------------
  function sync() {
    var empty = quill.getText().trim() === "" && !quill.root.querySelector("figure");
    // getSemanticHTML() writes plain lists (Quill 2 keeps <ol data-list> inside); Quill
    // 2.0.3 also turns every space into &nbsp; (slab/quill#4509): undo that.
    textarea.value = empty ? "" : quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }
  quill.on("text-change", sync);
  form.addEventListener("submit", sync);

  // --- Pictures -------------------------------------------------------------------------
  if (!uploadPanel) {
    return;
  }
  uploadPanel.hidden = false;
  var fileInput = uploadPanel.querySelector("[data-upload-file]");
  var altInput = uploadPanel.querySelector("[data-upload-alt]");
  var captionInput = uploadPanel.querySelector("[data-upload-caption]");
  var button = uploadPanel.querySelector("[data-upload-button]");
  var status = uploadPanel.querySelector("[data-upload-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var lastRange = null;
  quill.on("selection-change", function (range) {
    if (range) {
      lastRange = range;
    }
  });

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("field__error", !!isError);
  }

  button.addEventListener("click", function () {
    if (!fileInput.files.length) {
      say(t("noFile"), true);
      fileInput.focus();
      return;
    }
    if (!altInput.value.trim()) {
      say(t("noAlt"), true);
      altInput.focus();
      return;
    }
    var data = new FormData();
    data.append("file", fileInput.files[0]);
    data.append("alt", altInput.value);
    data.append("caption", captionInput.value);
    button.disabled = true;
    say(t("uploading"), false);
    fetch(uploadPanel.getAttribute("data-upload-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return { error: t("badAnswer") + " (" + response.status + ")" };
          })
          .then(function (body) {
            return { ok: response.ok, body: body };
          });
      })
      .then(function (result) {
        if (!result.ok) {
          say(result.body.error || t("failed"), true);
          return;
        }
        var at = lastRange ? lastRange.index + lastRange.length : quill.getLength() - 1;
        quill.insertEmbed(
          at,
          "figure",
          { src: result.body.src, alt: result.body.alt, caption: result.body.caption },
          "user"
        );
        quill.setSelection(at + 1, 0, "silent");
        sync();
        fileInput.value = "";
        altInput.value = "";
        captionInput.value = "";
        say(t("inserted"), false);
      })
      .catch(function () {
        say(t("offline"), true);
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
