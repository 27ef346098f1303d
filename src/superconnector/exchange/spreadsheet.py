"""Delegate lists as organisers receive them: CSV or XLSX, headers in English or Chinese.

Every row is checked first and every problem reported by row and column; only a clean
list is turned into an exchange document (organisations + participants) and imported
through the same all-or-nothing path as JSON.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from superconnector.directory.domain.ownership import ORGANISATION_FIELDS
from superconnector.directory.identity import fold_name
from superconnector.events.models import Event
from superconnector.exchange.document import field_limits
from superconnector.exchange.exporter import export_event
from superconnector.exchange.importer import ImportReport, import_document
from superconnector.exchange.problems import ImportRejected, Problem
from superconnector.exchange.schema import FORMAT

SPREADSHEET_SUFFIXES = (".csv", ".xlsx")
MAX_ROWS = 100_000
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024

# Column aliases, compared after folding (case, width, spaces and punctuation removed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "delegate name",
        "contact name",
        "participant",
        "姓名",
        "名字",
        "與會者",
        "与会者",
    ),
    "title": (
        "title",
        "job title",
        "position",
        "designation",
        "職位",
        "职位",
        "職務",
        "职务",
        "職稱",
        "职称",
        "頭銜",
        "头衔",
    ),
    "organisation": (
        "organisation",
        "organization",
        "company",
        "company name",
        "institution",
        "employer",
        "organisation name",
        "organization name",
        "機構",
        "机构",
        "公司",
        "單位",
        "单位",
        "機構名稱",
        "机构名称",
        "公司名稱",
        "公司名称",
        "工作單位",
        "工作单位",
    ),
    "email": (
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "電郵",
        "电邮",
        "電子郵件",
        "电子邮件",
        "郵箱",
        "邮箱",
        "電郵地址",
        "电邮地址",
    ),
    "phone": (
        "phone",
        "telephone",
        "tel",
        "mobile",
        "phone number",
        "電話",
        "电话",
        "手機",
        "手机",
        "聯絡電話",
        "联系电话",
    ),
    "kind": (
        "organisation type",
        "organization type",
        "kind",
        "type",
        "機構類型",
        "机构类型",
        "類型",
        "类型",
    ),
    "region": (
        "region",
        "city",
        "country",
        "location",
        "地區",
        "地区",
        "城市",
        "國家/地區",
        "国家/地区",
    ),
    "sectors": ("sectors", "sector", "industry", "industries", "行業", "行业", "領域", "领域"),
    "role": ("role", "角色", "身份"),
    "languages": ("languages", "language", "spoken languages", "語言", "语言"),
    "key": ("key", "id", "delegate id", "registration id", "編號", "编号", "登記編號", "登记编号"),
}
REQUIRED = ("name", "email", "organisation")
KIND_WORDS = {
    "enterprise": ("enterprise", "company", "corporate", "企業", "企业", "公司"),
    "startup": ("startup", "start-up", "初創", "初创", "初創企業", "初创企业"),
    "investor": ("investor", "vc", "venture capital", "投資者", "投资者", "投資機構", "投资机构"),
    "financial_institution": (
        "financial institution",
        "bank",
        "銀行",
        "银行",
        "金融機構",
        "金融机构",
    ),
    "research_institution": (
        "research institution",
        "lab",
        "laboratory",
        "研究機構",
        "研究机构",
        "實驗室",
        "实验室",
        "研究院",
    ),
    "university": ("university", "大學", "大学", "高校"),
    "service_provider": (
        "service provider",
        "professional services",
        "專業服務",
        "专业服务",
        "服務機構",
        "服务机构",
    ),
    "government": ("government", "政府", "政府部門", "政府部门"),
    "chamber": ("chamber", "chamber of commerce", "商會", "商会"),
    "association": ("association", "協會", "协会"),
}
ROLE_WORDS = {
    "delegate": ("delegate", "代表", "參會者", "参会者"),
    "speaker": ("speaker", "講者", "讲者", "嘉賓", "嘉宾"),
    "vip": ("vip", "貴賓", "贵宾"),
    "organiser": ("organiser", "organizer", "staff", "主辦", "主办", "工作人員", "工作人员"),
    "press": ("press", "media", "媒體", "媒体", "記者", "记者"),
}
LANGUAGE_WORDS = {
    "en": ("en", "english", "英語", "英语", "英文"),
    "zh": ("zh", "mandarin", "putonghua", "chinese", "普通話", "普通话", "中文", "國語", "国语"),
    "yue": ("yue", "cantonese", "粵語", "粤语", "廣東話", "广东话"),
}
_LIST_SPLIT = re.compile(r"[,;/、，；|]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-.:()（）*]+", "", text)


def _reverse(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_fold(alias): code for code, aliases in table.items() for alias in aliases}


_COLUMN_OF = _reverse(COLUMNS)
_KIND_OF = _reverse(KIND_WORDS)
_ROLE_OF = _reverse(ROLE_WORDS)
_LANGUAGE_OF = _reverse(LANGUAGE_WORDS)


@dataclass
class Sheet:
    header: list[str]
    rows: list[list[str]]  # data rows; row i is spreadsheet row i + 2
    encoding: str = ""


# --- reading ---------------------------------------------------------------------------------


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read the first sheet of a CSV or XLSX file into strings."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    text, encoding = decode_csv(data)
    try:
        # The sniffer tells commas from semicolons and tabs, which Excel uses by locale.
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # Strict: an unterminated quote would otherwise swallow every later row into one cell
    # without a word, and those delegates would silently not be imported.
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # A huge cell (a 5 MB name), not broken quoting: say so.
            message = (
                f"a cell there is longer than {csv.field_size_limit():,} characters, far more "
                "than any column holds"
            )
        else:
            message = (
                f"the CSV is malformed there ({error}); check the quotes on that line "
                "and the one before"
            )
        raise ImportRejected([Problem(f"line {reader.line_num}", message)]) from None
    return _to_sheet(rows, encoding)


def decode_csv(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (with or without BOM), else GBK or Big5, whichever reads better."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_score_decoding(text, encoding), encoding, text))
    if not candidates:
        raise ImportRejected(
            [
                Problem(
                    "file", "cannot read the file's characters: save it as UTF-8, GBK or Big5 CSV"
                )
            ]
        )
    _score, encoding, text = max(candidates)
    return text, encoding


def _score_decoding(text: str, encoding: str) -> tuple[int, float]:
    """Known header names first, then the share of common characters of that script.

    A wrong two-byte decoding usually still decodes, but into rare characters: the common
    ones are GB2312 level 1 (3,755 hanzi) for GBK and Big5's frequent block (A440-C67E).
    """
    first_line = text.splitlines()[0] if text else ""
    known = sum(
        1 for cell in re.split(r"[,;\t]", first_line) if _fold(cell.strip('"')) in _COLUMN_OF
    )
    han = [c for c in text[:50_000] if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return known, 0.0
    common = sum(1 for c in han if _is_common(c, encoding))
    return known, common / len(han)


def _is_common(char: str, encoding: str) -> bool:
    try:
        if encoding == "gb18030":
            code = char.encode("gb2312")
            return 0xB0 <= code[0] <= 0xD7
        code = char.encode("big5")
        return 0xA440 <= int.from_bytes(code, "big") <= 0xC67E
    except UnicodeEncodeError:
        return False


def _read_xlsx(data: bytes) -> Sheet:
    # openpyxl uses defusedxml when it is installed: no XML bombs.
    from openpyxl import load_workbook  # noqa: PLC0415 (openpyxl takes about 0.8 s to import; only XLSX files need it)

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportRejected(
            [Problem("file", "not a valid .xlsx file (it is not a zip archive)")]
        ) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportRejected(
            [
                Problem(
                    "file",
                    f"the .xlsx unpacks to {unpacked // 2**20} MiB, more than the "
                    f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MiB allowed",
                )
            ]
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise ImportRejected([Problem("file", f"cannot read the .xlsx file: {exc}")]) from None
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        if len(rows) > MAX_ROWS + 1:
            break
        rows.append([_cell_text(v) for v in values])
    workbook.close()
    return _to_sheet(rows, "xlsx")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers typed as numbers
    return str(value).strip()


def _to_sheet(rows: list[list[str]], encoding: str) -> Sheet:
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ImportRejected([Problem("file", "the file is empty")])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected(
            [Problem("file", f"more than {MAX_ROWS:,} rows; split the list into smaller files")]
        )
    return Sheet(header=rows[0], rows=rows[1:], encoding=encoding)


# --- checking --------------------------------------------------------------------------------


def map_columns(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Field -> column index; problems for missing required columns or a field named twice."""
    columns: dict[str, int] = {}
    problems = []
    for index, title in enumerate(header):
        field = _COLUMN_OF.get(_fold(title))
        if field is None:
            continue
        if field in columns:
            problems.append(
                Problem(
                    f"row 1, column {title}",
                    f"a second column for {field} (the first is {header[columns[field]]!r})",
                )
            )
            continue
        columns[field] = index
    for field in REQUIRED:
        if field not in columns:
            names = ", ".join(
                COLUMNS[field][:3] + tuple(a for a in COLUMNS[field] if not a.isascii())[:3]
            )
            problems.append(Problem("row 1", f"no column for {field} (name it one of: {names})"))
    return columns, problems


@dataclass
class Delegate:
    row: int
    name: str
    email: str
    organisation: str
    title: str = ""
    phone: str = ""
    kind: str = ""
    region: str = ""
    sectors: tuple[str, ...] = ()
    role: str = ""
    languages: tuple[str, ...] = ()
    key: str = ""


def check_rows(sheet: Sheet, columns: dict[str, int]) -> tuple[list[Delegate], list[Problem]]:
    delegates, problems = [], []
    seen_emails: dict[str, int] = {}
    for offset, cells in enumerate(sheet.rows):
        number = offset + 2

        def cell(field: str, cells=cells) -> str:
            index = columns.get(field)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def where(field: str, number=number) -> str:
            return f"row {number}, column {sheet.header[columns[field]]} ({field})"

        row_problems = []
        for field in REQUIRED:
            if not cell(field):
                row_problems.append(Problem(where(field), "is empty"))
        if value_problems := cell_value_problems({field: cell(field) for field in columns}, where):
            # The other checks would only quote the same unusable value again.
            problems.extend(row_problems + value_problems)
            continue
        email = cell("email").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.append(
                    Problem(where("email"), f"{cell('email')!r} is not a valid e-mail address")
                )
            if email in seen_emails:
                row_problems.append(
                    Problem(where("email"), f"{email} is also on row {seen_emails[email]}")
                )
            else:
                seen_emails[email] = number
        kind = _KIND_OF.get(_fold(cell("kind")), "") if cell("kind") else ""
        if cell("kind") and not kind:
            row_problems.append(
                Problem(
                    where("kind"),
                    f"unknown organisation type {cell('kind')!r} "
                    f"(use one of {', '.join(KIND_WORDS)})",
                )
            )
        role = _ROLE_OF.get(_fold(cell("role")), "") if cell("role") else ""
        if cell("role") and not role:
            row_problems.append(
                Problem(
                    where("role"),
                    f"unknown role {cell('role')!r} (use one of {', '.join(ROLE_WORDS)})",
                )
            )
        key = cell("key")
        if key and not re.fullmatch(r"[A-Za-z0-9_.\-]{1,64}", key):
            row_problems.append(
                Problem(where("key"), f"{key!r} is not a valid key (letters, digits, - _ .)")
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        delegates.append(
            Delegate(
                row=number,
                name=cell("name"),
                email=email,
                organisation=cell("organisation"),
                title=cell("title"),
                phone=cell("phone"),
                kind=kind,
                region=cell("region"),
                sectors=tuple(_split(cell("sectors"))),
                role=role,
                languages=tuple(
                    _LANGUAGE_OF.get(_fold(w), w.lower()) for w in _split(cell("languages"))
                ),
                key=key,
            )
        )
    return delegates, problems


# Where each column ends up, for its length limit (the column's max_length).
CELL_LIMITS = {
    "name": ("participants", "name"),
    "title": ("participants", "title"),
    "email": ("participants", "email"),
    "phone": ("participants", "phone"),
    "key": ("participants", "key"),
    "organisation": ("organisations", "name"),
    "region": ("organisations", "region"),
}
# Cells that can reach an e-mail header (a name, a job title, an organisation's name).
HEADER_CELLS = ("name", "title", "organisation")


def cell_value_problems(cells: dict[str, str], where) -> list[Problem]:
    """What no cell may hold, as the exchange document's checks refuse it (document.py): a
    NUL character (PostgreSQL stores none), more text than its column holds, or a line
    break in a name or title that goes into a mail header. `where(field)` names the cell."""
    limits = field_limits()
    problems = []
    for field, value in cells.items():
        if "\x00" in value:
            problems.append(Problem(where(field), "contains a NUL character, which no text may"))
            continue
        if field in CELL_LIMITS:
            limit = limits[CELL_LIMITS[field][0]][CELL_LIMITS[field][1]]
            if len(value) > limit:
                problems.append(
                    Problem(
                        where(field), f"is {len(value):,} characters long; at most {limit:,} fit"
                    )
                )
        if field in HEADER_CELLS and ("\r" in value or "\n" in value):
            problems.append(
                Problem(
                    where(field),
                    "contains a line break; names and titles go into e-mail headers and must "
                    "be on one line",
                )
            )
    return problems


def _split(text: str) -> Iterable[str]:
    return (part.strip() for part in _LIST_SPLIT.split(text) if part.strip())


# --- building the document -------------------------------------------------------------------


def build_document(
    event: Event, delegates: list[Delegate], assumed: dict[str, dict[str, set[str]]] | None = None
) -> dict:
    """An exchange document adding or updating these delegates and their organisations.

    Rows already in the event are the starting point, so columns the list does not have
    (an organisation's description, say) keep their values. Values the list does not give
    for an organisation new to the event (its kind, by default "enterprise") are noted in
    `assumed`, so that they never change an organisation the platform already knows.
    """
    current = export_event(event)
    organisations = {fold_name(o["name"]): o for o in current["organisations"]}
    organisations.update(
        {fold_name(o["name_zh"]): o for o in current["organisations"] if o["name_zh"]}
    )
    participants = {p["email"]: p for p in current["participants"]}
    touched_orgs: dict[str, dict] = {}
    people = []
    org_given: dict[str, set[str]] = {}
    person_taken: dict[str, set[str]] = {}
    for delegate in delegates:
        org = _organisation_row(delegate, organisations, touched_orgs)
        org_given.setdefault(org["key"], set()).update(
            name
            for name, value in (
                ("kind", delegate.kind),
                ("region", delegate.region),
                ("sectors", delegate.sectors),
            )
            if value
        )
        if delegate.email in participants:
            person_taken[participants[delegate.email]["key"]] = {
                name
                for name, value in (
                    ("title", delegate.title),
                    ("phone", delegate.phone),
                    ("languages", delegate.languages),
                )
                if not value
            }
        person = dict(
            participants.get(delegate.email)
            or {
                "key": delegate.key or _derived_key("p", delegate.email),
                "role": "delegate",
                "languages": [],
                "title": None,
                "phone": None,
            }
        )
        person.update(
            organisation=org["key"],
            name=delegate.name,
            email=delegate.email,
            title=delegate.title or person["title"],
            phone=delegate.phone or person["phone"],
            role=delegate.role or person["role"],
            languages=list(delegate.languages) or person["languages"],
        )
        people.append(person)
    if assumed is not None:
        _note_assumed(assumed, current, touched_orgs, org_given, person_taken)
    return {
        "format": FORMAT,
        "event": current["event"],
        "organisations": list(touched_orgs.values()),
        "participants": people,
    }


def _note_assumed(
    assumed: dict[str, dict[str, set[str]]],
    current: dict,
    touched_orgs: dict[str, dict],
    org_given: dict[str, set[str]],
    person_taken: dict[str, set[str]],
) -> None:
    """Note every value the list did not give itself, so that it never changes a record.

    A value taken from the event's export is only a starting point: the importer plans in
    a later snapshot, and a delegate may have saved their profile in between. Written back,
    the exported value would undo that edit. A default (an organisation's kind,
    "enterprise") must likewise never change an organisation the platform already knows.
    """
    known_keys = {o["key"] for o in current["organisations"]}
    for org in touched_orgs.values():
        given = org_given.get(org["key"], set())
        # A known organisation is only named by the list (matched by folded name), which
        # at most gives its kind, region and sectors: everything else came from the export.
        # A new one takes its kind from the list or by default.
        taken = (set(ORGANISATION_FIELDS) if org["key"] in known_keys else {"kind"}) - given
        if taken:
            assumed.setdefault("organisations", {}).setdefault(org["key"], set()).update(taken)
    for key, taken in person_taken.items():
        if taken:
            assumed.setdefault("participants", {}).setdefault(key, set()).update(taken)


def _organisation_row(delegate: Delegate, known: dict[str, dict], touched: dict[str, dict]) -> dict:
    folded = fold_name(delegate.organisation)
    if folded in touched:
        row = touched[folded]
    else:
        row = dict(
            known.get(folded)
            or {
                "key": _derived_key("org", folded),
                "name": delegate.organisation,
                "kind": "enterprise",
                "region": "",
                "sectors": [],
                "description": "",
            }
        )
        touched[folded] = row
    if delegate.kind:
        row["kind"] = delegate.kind
    if delegate.region:
        row["region"] = delegate.region
    if delegate.sectors:
        row["sectors"] = list(
            dict.fromkeys([*row["sectors"], *(s.lower() for s in delegate.sectors)])
        )
    return row


def _derived_key(prefix: str, text: str) -> str:
    """A stable key from a name or e-mail, so that importing the same list twice matches up."""
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"


def import_delegate_list(
    data: bytes,
    filename: str,
    event_slug: str,
    *,
    dry_run: bool = False,
    source: str = "",
    actor=None,
) -> ImportReport:
    """Check every row, then import the delegates and their organisations in one transaction."""
    source = source or filename
    event = Event.objects.filter(slug=event_slug).first()
    if event is None:
        raise ImportRejected([Problem("--event", f'no event with slug "{event_slug}"')], source)
    try:
        sheet = read_sheet(data, filename)
    except ImportRejected as rejected:
        rejected.source = source
        raise
    columns, problems = map_columns(sheet.header)
    if problems:
        raise ImportRejected(problems, source)
    delegates, problems = check_rows(sheet, columns)
    if problems:
        raise ImportRejected(problems, source)
    assumed: dict[str, dict[str, set[str]]] = {}
    document = build_document(event, delegates, assumed)
    try:
        return import_document(
            document, dry_run=dry_run, source=source, actor=actor, assumed=assumed
        )
    except ImportRejected as rejected:
        rejected.problems = [_to_row_problem(p, delegates) for p in rejected.problems]
        raise


def _to_row_problem(problem: Problem, delegates: list[Delegate]) -> Problem:
    """Translate $.participants[i].field back to the spreadsheet row it came from."""
    match = re.match(r"\$\.participants\[(\d+)\]\.?(\w*)", problem.path)
    if not match:
        return problem
    delegate = delegates[int(match.group(1))]
    field = f", {match.group(2)}" if match.group(2) else ""
    return Problem(f"row {delegate.row}{field}", problem.message)
