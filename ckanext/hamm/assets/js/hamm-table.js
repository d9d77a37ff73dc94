/* The DataStore table in German: numbers as 1.234,5 (sorting still uses the numbers), and
   the DataStore's internal row number "_id" hidden. Runs before datatables_view starts,
   so these defaults apply to the table it builds. */
(function ($) {
  'use strict';
  if (!$ || !$.fn || !$.fn.dataTable) { return; }
  var format = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 6 });
  $.extend(true, $.fn.dataTable.defaults, {
    columnDefs: [
      { targets: 0, visible: false, searchable: false },
      {
        targets: '_all',
        render: function (data, type) {
          if (type === 'display' && typeof data === 'number' && isFinite(data)) {
            return format.format(data);
          }
          return data;
        }
      }
    ]
  });
}(window.jQuery));
