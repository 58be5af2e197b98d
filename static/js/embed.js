/* Veche's help-centre widget: one <script> tag on another site puts an iframe of the
   community's widget page after itself. Self-contained, no cookies, nothing global.
     <script src="https://community.example.com/static/js/embed.js"
             data-topic="billing" data-height="420" async></script>
   The widget page only shows inside sites that staff allowed (frame-ancestors). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var base = new URL(script.src, document.baseURI).origin;
  var url = new URL("/embed/widget/", base);
  var topic = script.getAttribute("data-topic");
  if (topic) {
    url.searchParams.set("topic", topic);
  }
  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = script.getAttribute("data-title") || "Community help";
  frame.width = "100%";
  frame.height = script.getAttribute("data-height") || "420";
  frame.setAttribute("frameborder", "0");
  frame.setAttribute("loading", "lazy");
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  // No allow-same-origin: the widget runs as an opaque origin, so it can neither read nor
  // set cookies or storage; its search form and its links (opened in a new tab) still work.
  frame.setAttribute("sandbox", "allow-forms allow-popups allow-popups-to-escape-sandbox");
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
