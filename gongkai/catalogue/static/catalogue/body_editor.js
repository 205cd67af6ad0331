// The 正文 editor: Jodit (vendored in vendor/jodit, see VENDORED.md) over the body's <textarea>.
// Progressive enhancement: without this script the textarea still works (the server turns plain
// lines into paragraphs). The editor keeps the textarea's value in step, so the form posts HTML,
// which the server sanitises again (gongkai.core.html.sanitize_body); the clerk never sees tags.
(function () {
  "use strict";
  if (!window.Jodit) { return; }
  // The site's Content-Security-Policy blocks style attributes. Jodit 4.15 adds one hidden focus
  // helper to its toolbar with a style attribute: give it the same style through the DOM instead
  // (allowed), so nothing is blocked and the helper stays invisible.
  var Toolbar = window.Jodit.modules && window.Jodit.modules.ToolbarEditorCollection;
  if (Toolbar && Toolbar.prototype.prependInvisibleInput) {
    Toolbar.prototype.prependInvisibleInput = function (container) {
      var input = document.createElement("input");
      input.name = "jodit-toolbar-focus-helper_" + this.j.id;
      input.tabIndex = -1;
      input.disabled = true;
      input.setAttribute("aria-hidden", "true");
      input.style.cssText = "width: 0; height: 0; position: absolute; visibility: hidden;";
      container.insertBefore(input, container.firstChild);
    };
  }
  document.querySelectorAll("textarea[data-rich-text]").forEach(function (area) {
    var editor = window.Jodit.make(area, {
      // Jodit adds a few <style> elements (table cell selection and the like): the page's policy
      // lets them in with this response's nonce, carried by the form (style attributes it avoids).
      nonce: (area.form && area.form.getAttribute("data-style-nonce")) || undefined,
      createAttributes: { table: { style: null } }, // its default is a style attribute
      language: "zh_cn",
      minHeight: 360,
      enter: "P",
      toolbarAdaptive: false,
      buttons: "paragraph,bold,italic,|,ul,ol,|,table,link,|,eraser,|,undo,redo,|,fullsize",
      controls: {
        paragraph: { list: { p: "正文段落", h2: "一级标题", h3: "二级标题", h4: "三级标题" } }
      },
      // Nothing the page may not do or load: no source view (raw tags; its add-ons come from a
      // CDN), no images or files (attachments are uploaded separately), no "powered by" link.
      disablePlugins: "source,image,image-processor,image-properties,media,video,file,iframe," +
        "speech-recognize,ai-assistant,print,preview,about,powered-by-jodit,drag-and-drop-element",
      beautifyHTML: false,
      hidePoweredByJodit: true,
      showCharsCounter: false,
      showWordsCounter: false,
      showXPathInStatusbar: false,
      showPlaceholder: false, // its element carries a style attribute, which the policy blocks
      // Word and web pages: keep paragraphs, headings, lists and tables; drop their styles.
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      defaultActionOnPaste: "insert_clear_html",
      defaultActionOnPasteFromWord: "insert_clear_html",
      cleanHTML: { denyTags: "script,style,iframe,object,embed", removeEmptyElements: false }
    });
    // The editor copies its content to the textarea after a short pause: copy it now on submit,
    // or the last characters typed before a quick click on 保存 would be lost.
    if (area.form) {
      area.form.addEventListener("submit", function () { area.value = editor.value; });
    }
    area.setAttribute("data-editor-ready", "true");
    // Labels point at the hidden textarea: send a click on the label to the editing area.
    if (area.id) {
      document.querySelectorAll('label[for="' + area.id + '"]').forEach(function (label) {
        label.addEventListener("click", function () { editor.s.focus(); });
      });
    }
  });
})();
