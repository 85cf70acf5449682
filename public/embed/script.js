/*
 * Statuspage-compatible embed: a site that loaded https://<page>/embed/script.js
 * from Statuspage loads this one from Candor instead. It adds the frame
 * (/embed/frame, app/embed/frame) off screen; the frame asks to be shown
 * ({action: "showFrame", position}) when there is an open incident or
 * maintenance in progress, and to be hidden ({action: "dismissFrame"}).
 * Until then the frame waits hidden in place (visibility: not seen, not
 * focusable, not read out).
 * Messages count only from that frame, at this script's origin. A visitor's
 * dismissal is remembered here, in this page's storage (the frame's own is
 * blocked or partitioned as a third party's), until the item's next update. Desktop:
 * 320 x 115 in the configured corner; narrow screens: the full width, 20% of
 * the height (`?mobile=true`). The frame speaks `?locale=`: the script tag's
 * `data-locale`, else the reader's languages, else the host page's
 * <html lang>, the first that Candor has words for (LOCALES, lib/core/locales.ts;
 * the frame falls back to the page's default when the page does not offer it).
 * The frame names itself (the iframe's title) in its messages.
 */
(function () {
  var script = document.currentScript;
  var origin = new URL(script && script.src ? script.src : "/embed/script.js", location.href).origin;
  var mobile = Math.min(window.innerWidth || 1e4, screen.width || 1e4) < 450;
  var LOCALES = ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN", "ar"];
  var asked = [script && script.getAttribute("data-locale")].concat(navigator.languages || [], document.documentElement.lang);
  function language(tag) {
    return tag.toLowerCase().split("-")[0];
  }
  var locale = null;
  for (var i = 0; i < asked.length && !locale; i++) {
    var tag = asked[i];
    if (!tag) continue;
    for (var j = 0; j < LOCALES.length && !locale; j++) if (LOCALES[j].toLowerCase() === tag.toLowerCase()) locale = LOCALES[j];
    for (j = 0; j < LOCALES.length && !locale; j++) if (language(LOCALES[j]) === language(tag)) locale = LOCALES[j];
  }
  var query = [locale ? "locale=" + locale : "", mobile ? "mobile=true" : ""].filter(Boolean).join("&");
  var frame = document.createElement("iframe");
  var style = frame.style;
  frame.src = origin + "/embed/frame" + (query ? "?" + query : "");
  frame.setAttribute("data-candor-embed", "");
  style.cssText =
    "position:fixed;border:0;z-index:2147483000;box-shadow:0 20px 32px -8px rgba(9,20,66,.25);visibility:hidden;left:0;bottom:0;" +
    (mobile ? "width:100vw;height:20vh" : "width:320px;height:115px;border-radius:4px");
  var KEY = "candor-embed-dismissed";
  var shownItem = null;
  function remembered() {
    try {
      return localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }
  var actions = {
    showFrame: function (data) {
      var item = data.id ? data.id + "@" + data.updated_at : null;
      if (item && item === remembered()) return;
      shownItem = item;
      var position = /^(top|bottom)-(left|right)$/.test(data.position) ? data.position : "bottom-left";
      if (typeof data.title === "string") frame.title = data.title.slice(0, 200);
      var vertical = position.split("-")[0];
      var side = position.split("-")[1];
      var gap = mobile ? "0" : "60px";
      style.top = style.bottom = style.left = style.right = "auto";
      style[vertical] = gap;
      style[side] = gap;
      if (mobile) style.left = "0";
      style.visibility = "visible";
    },
    dismissFrame: function () {
      if (shownItem) {
        try {
          localStorage.setItem(KEY, shownItem);
        } catch (e) {
          // Storage refused: hidden until the page reloads.
        }
      }
      shownItem = null;
      // Hidden in place: not seen, not focusable, not read out.
      style.visibility = "hidden";
    },
  };
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (data && typeof data.action === "string" && Object.prototype.hasOwnProperty.call(actions, data.action)) actions[data.action](data);
  });
  function add() {
    document.body.appendChild(frame);
  }
  if (document.body) add();
  else document.addEventListener("DOMContentLoaded", add);
})();
