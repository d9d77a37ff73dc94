/* The DataStore table in German: numbers as 1.234,5 (sorting still uses the numbers), and
   the DataStore's internal row number "_id" hidden. Runs before datatables_view starts,
   so these defaults apply to the table it builds. The server sends numbers as text, so a
   column counts as numeric by its type in the data dictionary (gdataDict of the template). */
(function ($) {
  'use strict';
  if (!$ || !$.fn || !$.fn.dataTable) { return; }
  var format = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 6 });
  var numberLike = /^-?\d+(\.\d+)?$/;

  function numericColumn(index) {
    /* column 0 is _id; the data dictionary lists the others in order */
    var fields = (typeof gdataDict !== 'undefined') ? gdataDict : [];
    var field = fields[index - 1];
    return !!field && field.type === 'numeric';
  }

  $.extend(true, $.fn.dataTable.defaults, {
    columnDefs: [
      { targets: 0, visible: false, searchable: false },
      {
        targets: '_all',
        render: function (data, type, row, meta) {
          if (type !== 'display' || data === null || data === undefined) { return data; }
          var text = String(data).trim();
          if (numericColumn(meta.col) && numberLike.test(text)) {
            return format.format(Number(text));
          }
          return data;
        }
      }
    ]
  });

  /* Before the first draw: headers and filters that read German and have plain names. */
  var TYPES = { numeric: 'Zahl', text: 'Text', timestamp: 'Datum', timestamptz: 'Datum mit Uhrzeit' };
  function germanTooltips() {
    /* the header exists twice once DataTables scrolls (the visible copy above the rows) */
    $('i.fa-info-circle[title]').each(function () {
      var icon = $(this);
      icon.attr('title', icon.attr('title').replace(/\((\w+)\)/, function (all, type) {
        return '(' + (TYPES[type] || type) + ')';
      }));
    });
  }

  $(document).on('preInit.dt', function (event, settings) {
    germanTooltips();
    settings.aoColumns.forEach(function (column) {
      /* the sort buttons' names come from the title: text only, not the info icon's markup */
      column.sTitle = $('<div>').html(column.sTitle || '').text().replace(/\u00a0/g, ' ').trim();
    });
    $('input.fhead').each(function () {
      var input = $(this);
      var index = parseInt((input.closest('th').attr('id') || '').replace('cdx', ''), 10);
      var field = (typeof gdataDict !== 'undefined') ? gdataDict[index - 1] : null;
      var label = field ? ((field.info && field.info.label) || field.id) : '';
      input.attr('aria-label', 'Spalte filtern: ' + label);
      if (input.attr('placeholder') === 'yyyy-mm-dd') { input.attr('placeholder', 'JJJJ-MM-TT'); }
    });
  });

  /* After each draw: the copied header, the sort line ("_id" is the file's own order). */
  $(document).on('draw.dt', function () {
    germanTooltips();
    /* helpers of DataTables' extensions: the resize watcher's empty frame, KeyTable's focus catcher */
    $('#resize_wrapper iframe[src="about:blank"]').attr({ 'aria-hidden': 'true', tabindex: '-1', title: 'leer' });
    $('div[style*="overflow: hidden"] > input[type="text"]').not('[aria-label]')
      .attr('aria-label', 'Tabelle mit der Tastatur bedienen');
    /* two header rows (names, filters): each cell names its column's heading (WCAG H43) */
    $('table.dataTable').each(function (t) {
      var rows = $(this).children('thead').children('tr');
      if (rows.length < 2) { return; }
      var levels = rows.map(function (r) {
        var heads = $(this).children('th');
        heads.each(function (i) { if (!this.id) { this.id = 'hamm-dt' + t + '-r' + r + '-h' + i; } });
        return [heads.get()];
      }).get();
      $(this).children('tbody').children('tr').each(function () {
        $(this).children('td').each(function (i) {
          var ids = levels.map(function (heads) { return heads[i] ? heads[i].id : ''; }).filter(Boolean);
          if (ids.length) { this.setAttribute('headers', ids.join(' ')); }
        });
      });
    });
    /* the filtered download is sent by the toolbar; a hidden submit button completes the form */
    $('#filtered-datatables-download').not(':has(button[type=submit])')
      .append('<button type="submit" hidden>Gefilterte Daten herunterladen</button>');
    $('.sortinfo').find('*').addBack().contents().each(function () {
      if (this.nodeType === 3 && this.nodeValue.indexOf('_id') !== -1) {
        this.nodeValue = this.nodeValue.replace(/\b_id\b/g, 'Reihenfolge der Datei');
      }
    });
  });
}(window.jQuery));
