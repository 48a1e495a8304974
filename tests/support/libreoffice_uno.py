"""The reviewer's hands inside LibreOffice: run by the OS Python (/usr/bin/python3, which has `uno`), never by the venv.

Started by `tests/support/libreoffice.py` as `/usr/bin/python3 tests/support/libreoffice_uno.py` with one JSON object on stdin:

    {"port": 2002, "open": "/abs/in.docx" | null, "ops": [{"op": "...", ...}, ...]}

It connects to the soffice already listening on 127.0.0.1:port, opens the document hidden (no window: the headless
build crashes on UI dispatches that need one, e.g. .uno:InsertAnnotation), applies the ops in order, closes the
document and prints one JSON object on stdout: {"results": [...]}, one entry per op (null for ops that return nothing).
Any failure prints the error on stderr and exits 1. The op vocabulary is documented in `tests/support/libreoffice.py`.

This file must run on the OS Python 3 (no third-party packages besides `uno`); keep it free of project imports.
"""

import datetime
import json
import sys
import traceback
import zipfile

import uno  # noqa: F401  (python3-uno; also installs the com.sun.star import hook)
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(port):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return ctx, desktop


def url(path):
    return uno.systemPathToFileUrl(path)


# Headless soffice 7.4 aborts (NoSuchElementException from the comment sidebar) when a document with a view, even
# a hidden one, holds or gets a comment. So documents are loaded with no frame at all, and only ops that need the
# view (UI dispatches) load one; those refuse documents that hold comments instead of taking soffice down.
NEED_VIEW = {"accept_all", "pdf"}  # a PDF export without a view fails (SfxBaseModel::impl_store, Io Write 16)


def has_comments(path):
    try:
        with zipfile.ZipFile(path) as package:
            return any(name.startswith("word/comments") for name in package.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def set_config(ctx, nodepath, **values):
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", (prop("nodepath", nodepath),)
    )
    for name, value in values.items():
        access.setPropertyValue(name, value)
    access.commitChanges()


def import_filter(ctx, path):
    """The import filter LibreOffice's own type detection picks for `path` (what File → Open would use)."""
    detection = ctx.ServiceManager.createInstanceWithContext("com.sun.star.document.TypeDetection", ctx)
    type_name, _ = detection.queryTypeByDescriptor((prop("URL", url(path)),), True)
    if not type_name:
        raise ValueError(f"LibreOffice does not recognise {path}")
    return {p.Name: p.Value for p in detection.getByName(type_name)}["PreferredFilter"]


class Session:
    def __init__(self, ctx, desktop, doc):
        self.ctx = ctx
        self.desktop = desktop
        self.doc = doc

    # --- helpers -------------------------------------------------------------------------------------------------
    def table(self, op):
        return self.doc.TextTables.getByIndex(op.get("table", 0))

    def cell(self, op):
        return self.table(op).getCellByPosition(op["col"], op["row"])

    def dispatch(self, command):
        frame = self.doc.CurrentController.Frame
        helper = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)
        helper.executeDispatch(frame, command, "", 0, ())

    def span(self, text, old, occurrence=1):
        """(start, length) of the n-th `old` inside the cell text `text`."""
        start = -1
        for _ in range(occurrence):
            start = text.find(old, start + 1)
            if start < 0:
                raise ValueError(f"{old!r} not found (occurrence {occurrence}) in {text!r}")
        return start, len(old)

    def cursor_over(self, cell, start, length):
        cursor = cell.createTextCursor()
        cursor.gotoStart(False)
        # goRight counts UTF-16 code units' characters the way Writer does; the test texts stay in the BMP.
        if start:
            cursor.goRight(start, False)
        if length:
            cursor.goRight(length, True)
        return cursor

    # --- ops -----------------------------------------------------------------------------------------------------
    def op_author(self, op):
        """Set the user name Writer stamps on tracked changes and comments ("" → "Unknown Author")."""
        provider = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx
        )
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
        )
        given, _, family = op["name"].partition(" ")
        access.setPropertyValue("givenname", given)
        access.setPropertyValue("sn", family)
        access.setPropertyValue("initials", "")
        access.commitChanges()

    def op_track_changes(self, op):
        self.doc.RecordChanges = bool(op.get("on", True))

    def op_set_cell(self, op):
        self.cell(op).setString(op["text"])

    def op_replace_in_cell(self, op):
        cell = self.cell(op)
        start, length = self.span(cell.getString(), op["old"], op.get("occurrence", 1))
        self.cursor_over(cell, start, length).setString(op["new"])

    def op_type_in_cell(self, op):
        cell = self.cell(op)
        at = op.get("at", "end")
        cursor = cell.createTextCursor()
        if at == "end":
            cursor.gotoEnd(False)
        elif at == "start":
            cursor.gotoStart(False)
        else:
            cursor = self.cursor_over(cell, int(at), 0)
        cell.insertString(cursor, op["text"], False)

    def op_cell_text(self, op):
        return self.cell(op).getString()

    def op_table_size(self, op):
        table = self.table(op)
        return [table.Rows.Count, table.Columns.Count]

    def op_comment(self, op):
        """A comment (annotation field) anchored on `anchor` inside the cell (whole cell text when absent)."""
        cell = self.cell(op)
        text = cell.getString()
        start, length = self.span(text, op["anchor"]) if op.get("anchor") else (0, len(text))
        annotation = self.doc.createInstance("com.sun.star.text.textfield.Annotation")
        annotation.Author = op.get("author", "")
        annotation.Content = op["text"]
        # Without a date Writer writes w:date="0-00-00T00:00:00Z", and opening that file with a view aborts soffice.
        now = datetime.datetime.now(datetime.timezone.utc)
        stamp = uno.createUnoStruct("com.sun.star.util.DateTime")
        stamp.Year, stamp.Month, stamp.Day = now.year, now.month, now.day
        stamp.Hours, stamp.Minutes, stamp.Seconds = now.hour, now.minute, now.second
        annotation.DateTimeValue = stamp
        cell.insertTextContent(self.cursor_over(cell, start, length), annotation, bool(length))

    def op_type_at_end(self, op):
        """Ctrl+End, then type: at the end of the document's body text (inside the last cell if it ends on a table)."""
        cursor = self.doc.Text.createTextCursor()
        cursor.gotoEnd(False)
        cursor.setString(op["text"])  # the cursor may sit in a cell, whose XText is not doc.Text

    def op_accept_all(self, op):
        self.dispatch(".uno:AcceptAllTrackedChanges")

    def op_redlines(self, op):
        found = []
        enum = self.doc.Redlines.createEnumeration()
        while enum.hasMoreElements():
            redline = enum.nextElement()
            found.append({"type": redline.RedlineType, "author": redline.RedlineAuthor})
        return found

    def op_comments(self, op):
        found = []
        enum = self.doc.TextFields.createEnumeration()
        while enum.hasMoreElements():
            field = enum.nextElement()
            if field.supportsService("com.sun.star.text.textfield.Annotation"):
                found.append({"author": field.Author, "text": field.Content})
        return found

    def op_save(self, op):
        args = [prop("FilterName", op["filter"]), prop("Overwrite", True)]
        self.doc.storeToURL(url(op["path"]), tuple(args))


def main():
    request = json.load(sys.stdin)
    ctx, desktop = connect(request["port"])
    if request.get("probe"):  # connected: soffice is ready
        print(json.dumps({"results": []}))
        return
    if request.get("terminate"):
        try:
            desktop.terminate()
        except Exception:  # the bridge drops as soffice exits: that is success
            pass
        print(json.dumps({"results": []}))
        return
    kinds = {"pdf" if op.get("filter") == "writer_pdf_Export" else op["op"] for op in request.get("ops", [])}
    if kinds & NEED_VIEW:
        if kinds & {"comment"} or has_comments(request["open"]):
            raise ValueError(f"{sorted(kinds & NEED_VIEW)} need a view, and headless soffice aborts when a document "
                             "with a view has comments: accept changes in a document without comments")
        doc = desktop.loadComponentFromURL(url(request["open"]), "_blank", 0, (prop("Hidden", True),))
    else:
        doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
        doc.load((prop("URL", url(request["open"])), prop("FilterName", import_filter(ctx, request["open"]))))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {request['open']}")
    results = []
    try:
        session = Session(ctx, desktop, doc)
        for op in request.get("ops", []):
            results.append(getattr(session, "op_" + op["op"])(op))
    finally:
        doc.close(True)
    print(json.dumps({"results": results}, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
