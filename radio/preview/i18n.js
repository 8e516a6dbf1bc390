// The page's messages in the interface language: the server's /static/catalog.js sets
// window.RADIO_I18N = {lang, messages, plurals}. window._ translates a message id and fills
// its {named} fields from an object; window.ngettext picks the form for a count n (filled as
// {n}; Vietnamese has one form). Elements marked data-i18n are translated here.
"use strict";
const radioFill = (text, params) => (params
  ? text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? params[key] : whole)) : text);
window._ = (msgid, params) => {
  const catalog = (window.RADIO_I18N && window.RADIO_I18N.messages) || {};
  return radioFill(catalog[msgid] || msgid, params);
};
window.ngettext = (singular, plural, n, params) => {
  const forms = ((window.RADIO_I18N && window.RADIO_I18N.plurals) || {})[singular]
    || [singular, plural];
  return radioFill(n === 1 ? forms[0] : forms[1], { n, ...(params || {}) });
};
window.radioNumber = (value, digits) => {
  // Decimal comma in Vietnamese (−16,0 LUFS), point in English.
  const lang = (window.RADIO_I18N && window.RADIO_I18N.lang) || "en";
  const text = value.toLocaleString(lang === "vi" ? "vi-VN" : "en-US",
    { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  return lang === "vi" ? text.replace(/^-/, "\u2212") : text;
};
// Deferred like the other scripts: the document is parsed, the page's own script not run yet.
document.documentElement.lang = (window.RADIO_I18N && window.RADIO_I18N.lang) || "en";
for (const node of document.querySelectorAll("[data-i18n]")) {
  node.textContent = window._(node.textContent.split(/\s+/).filter(Boolean).join(" "));
}
