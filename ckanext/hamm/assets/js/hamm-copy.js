/* "Kopieren": copies the text of the element named by data-module-target and says so in the
 * button's status line (role=status), so screen reader users hear that it worked. The
 * button is a plain <button>: Enter and Space work; it stays hidden without this script. */
ckan.module("hamm-copy", function ($) {
  "use strict";
  return {
    options: { target: "", done: "", failed: "" },

    initialize: function () {
      this.el[0].hidden = false;
      this.el.on("click", this._copy.bind(this));
    },

    _status: function (text) {
      var status = document.getElementById(this.options.target + "-status");
      if (status) { status.textContent = ""; window.setTimeout(function () { status.textContent = text; }, 50); }
    },

    _copy: function () {
      var source = document.getElementById(this.options.target);
      var text = source ? source.textContent.trim() : "";
      var self = this;
      if (!text || !navigator.clipboard) { this._status(this.options.failed); return; }
      navigator.clipboard.writeText(text).then(function () { self._status(self.options.done); },
                                               function () { self._status(self.options.failed); });
    }
  };
});
