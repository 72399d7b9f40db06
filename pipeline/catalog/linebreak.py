"""Where GNU gettext may break a long PO string, as libunistring decides it.

msgcat wraps strings at 79 columns at the line-break opportunities of Unicode's
UAX #14 as resolved by libunistring (with its own tables and a few exceptions),
measuring East Asian wide characters as two columns. Writing PO files with the
same breaks is what makes ``msgcat`` leave them unchanged, so translators' tools
cause no diff churn. Pure functions over ``str``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

# Line-break classes (UAX #14) as libunistring resolves them for UTF-8 text.

(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY,
 AL, H2, H3, ID1, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM) = range(33)
BK, CR, LF, CM, ZW, SP = range(33, 39)
_HL_BA = 100

# libunistring's pair table (rows: before, columns: after): D direct break,
# I break only after spaces, P prohibited. Read from libunistring 1.0.
_PAIR_ROWS = (
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII", "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII",
    "PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD", "PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII", "PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD", "PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD", "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD", "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP", "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII", "PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD", "PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD",
    "PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII", "PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD", "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD", "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI", "PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD", "PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD", "PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD",
    "PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII", "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI",
    "PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD",
)
_PAIR = tuple(tuple(row) for row in _PAIR_ROWS)

_ASCII_CLASSES = {
    9: BA, 10: LF, 11: BK, 12: BK, 13: CR, 32: SP, 33: EX, 34: QU, 36: PR, 37: PO,
    39: QU, 40: OP1, 41: CP1, 43: PR, 44: IS, 45: HY, 46: IS, 47: SY, 58: IS, 59: IS,
    63: EX, 91: OP1, 92: PR, 93: CP1, 123: OP1, 124: BA, 125: CL,
}
_LATIN_AL = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]+")


#: Where the rules of :func:`_lb_class` and libunistring 1.0's tables (Unicode 14)
#: disagree: ``first[-last]:CLASS`` in hexadecimal, found by comparing the two on
#: every code point below U+20000.
_CLASS_EXCEPTIONS = """
85:BK A0:GL A1:OP1 A2:PO AD:BA B0:PO B1:PR B4:BB BF:OP1 2C8:BB 2CC:BB 2DF:BB 34F:GL 35C-362:GL 37E:IS 589:IS
5C6:EX 5D0-5EA:HL 5EF-5F2:HL 600-605:AL 609-60B:PO 60C-60D:IS 61B:EX 61D-61F:EX 66A:PO 66B-66C:NU 6D4:EX
6DD:AL 70F:AL 7F8:IS 7F9:EX 890-891:AL 8E2:AL 964-965:BA 9F2-9F3:PO 9F9:PO C77:BB C84:BB D79:PO E5A-E5B:BA
F01-F04:BB F06-F07:BB F08:GL F09-F0A:BB F0B:BA F0C:GL F0D-F11:EX F12:GL F14:EX F34:BA F7F:BA F85:BA
FBE-FBF:BA FD0-FD1:BB FD2:BA FD3:BB FD9-FDA:GL 104A-104B:BA 1100-115F:JL 1160-11A7:JV 11A8-11FF:JT 1361:BA
16EB-16ED:BA 1735-1736:BA 17D4-17D5:BA 17D6:NS 17D8:BA 17DA:BA 1802-1803:EX 1804-1805:BA 1806:BB
1808-1809:EX 180E:GL 1944-1945:EX 1A7F:CM 1B5A-1B5B:BA 1B5D-1B60:BA 1B7D-1B7E:BA 1C3B-1C3F:BA 1C7E-1C7F:BA
1FFD:BB 2007:GL 200B:ZW 200D:ZWJ 2011:GL 2014:B2 2015:AL 2024-2026:IN 2027:BA 202F:GL 2030-2037:PO
203C-203D:NS 2044:IS 2047-2049:NS 2056:BA 2058-205B:BA 205D-205E:BA 2060:WJ 2061-2064:AL 20A7:PO 20B6:PO
20BB:PO 20BE:PO 20C0:PO 20C1-20CF:PR 2103:PO 2109:PO 2116:PR 2212-2213:PR 22EF:IN 23E9-23EC:AL 23F1-23F2:ID1
25FD-25FE:AL 2600-2603:ID1 2618:ID1 261A-261C:ID1 261D:EB 261E-261F:ID1 2639-263B:ID1 2648-2653:AL 2668:ID1
2693:AL 26A1:AL 26AA-26AB:AL 26BF-26C3:ID1 26C6-26C8:ID1 26CD:ID1 26CE:AL 26CF-26D1:ID1 26D3:ID1
26D8-26D9:ID1 26DC:ID1 26DF-26E1:ID1 26F1:ID1 26F4:ID1 26F7-26F8:ID1 26F9:EB 26FE-2704:ID1 2705:AL
2708-2709:ID1 270A-270D:EB 2728:AL 274C:AL 274E:AL 2753-2755:AL 2757:AL 275B-2760:QU 2762-2763:EX 2764:ID1
2795-2797:AL 27B0:AL 27BF:AL 2B1B-2B1C:AL 2B50:AL 2B55:AL 2CF9:EX 2CFA-2CFC:BA 2CFE:EX 2CFF:BA 2D70:BA
2E00-2E01:QU 2E06-2E08:QU 2E0B:QU 2E0E-2E15:BA 2E18:OP1 2E19:BA 2E1A:AL 2E2A-2E2D:BA 2E2E:EX 2E30-2E31:BA
2E33-2E34:BA 2E3A-2E3B:B2 2E3C-2E3E:BA 2E41:BA 2E43-2E4A:BA 2E4C:BA 2E4E-2E4F:BA 2E53-2E54:EX 2E9A:AL
2EF4-2EFF:AL 2FD6-2FEF:AL 2FFC-2FFF:AL 3001-3002:CL 3030-3034:ID1 3035:CM 303C:NS 303F:ID1 3040:AL
3097-3098:AL 309B-309C:NS 30FB:NS 3100-3104:AL 3130:AL 318F:AL 31E4-31EF:AL 31F0-31FF:NS 321F:AL A015:NS
A48D-A48F:AL A4C7-A4CF:AL A4FE-A4FF:BA A60D:BA A60E:EX A60F:BA A6F3-A6F7:BA A838:PO A874-A875:BB
A876-A877:EX A8CE-A8CF:BA A8FC:BB A92E-A92F:BA A960-A97C:JL A9C7-A9C9:BA AA5D-AA5F:BA AAF0-AAF1:BA ABEB:BA
D7B0-D7C6:JV D7CB-D7FB:JT FB1D:HL FB1F-FB28:HL FB2A-FB36:HL FB38-FB3C:HL FB3E:HL FB40-FB41:HL FB43-FB44:HL
FB46-FB4F:HL FDFC:PO FE10:IS FE11-FE12:CL FE13-FE14:IS FE15-FE16:EX FE19:IN FE1A-FE1F:AL FE31-FE32:ID1
FE50:CL FE52:CL FE53:AL FE54-FE55:NS FE56-FE57:EX FE58:ID1 FE63:ID1 FE67:AL FE6A:PO FE6C-FE6F:AL FEFF:WJ
FF00:AL FF01:EX FF05:PO FF0C:CL FF0D:ID1 FF0E:CL FF10-FF19:ID1 FF1A-FF1B:NS FF1F:EX FF61:CL FF62:OP2 FF64:CL
FF65:NS FF66:ID1 FF67-FF70:NS FF71-FF9D:ID1 FF9E-FF9F:NS FFA0-FFBE:ID1 FFC2-FFC7:ID1 FFCA-FFCF:ID1
FFD2-FFD7:ID1 FFDA-FFDC:ID1 FFE0:PO FFFC:ID1 10100-10102:BA 1039F:BA 103D0:BA 10857:BA 1091F:BA
10A50-10A57:BA 10AF0-10AF5:BA 10AF6:IN 10B39-10B3F:BA 11047-11048:BA 110BD:AL 110BE-110C1:BA 110CD:AL
11140-11143:BA 11175:BB 111C5-111C6:BA 111C8:BA 111DB:BB 111DD-111DF:BA 11238-11239:BA 1123B-1123C:BA
112A9:BA 1144B-1144E:BA 1145A-1145B:BA 115C1:BB 115C2-115C3:BA 115C4-115C5:EX 115C9-115D7:BA 11641-11642:BA
11660-1166C:BB 1173C-1173E:BA 11944-11946:BA 119E2:BB 11A3F:BB 11A41-11A44:BA 11A45:BB 11A9A-11A9C:BA
11A9E-11AA0:BB 11AA1-11AA2:BA 11C41-11C45:BA 11C70:BB 11C71:EX 11FDD-11FE0:PO 11FFF:BA 12470-12474:BA
13258-1325A:OP1 1325B-1325D:CL 13282:CL 13286:OP1 13287:CL 13288:OP1 13289:CL 13379:OP1 1337A-1337B:CL
13430-13436:GL 13437:OP1 13438:CL 145CE:OP1 145CF:CL 16A6E-16A6F:BA 16AF5:BA 16B37-16B39:BA 16B44:BA
16E97-16E98:BA 16FE0-16FE3:NS 16FE4:GL 18B00-18CD5:AL 1AFF0-1AFF3:AL 1AFF5-1AFFB:AL 1AFFD-1AFFE:AL
1B150-1B152:NS 1B164-1B167:NS 1BC9F:BA 1DA87-1DA8A:BA 1E95E-1E95F:OP1 1ECAC:PO 1ECB0:PO 1F02C-1F02F:EB
1F094-1F09F:EB 1F0AF-1F0B0:EB 1F0C0:EB 1F0D0:EB 1F0F6-1F0FF:EB 1F100-1F10C:AL 1F110-1F16C:AL 1F170-1F1AC:AL
1F1AE-1F1E5:EB 1F1E6-1F1FF:RI 1F1E6-1F1FF:RI 1F203-1F20F:EB 1F23C-1F23F:EB 1F249-1F24F:EB 1F252-1F25F:EB
1F266-1F2FF:EB 1F385:EB 1F39C-1F39D:AL 1F3B5-1F3B6:AL 1F3BC:AL 1F3C2-1F3C4:EB 1F3C7:EB 1F3CA-1F3CC:EB
1F3FB-1F3FF:EM 1F3FB-1F3FF:EM 1F442-1F443:EB 1F446-1F450:EB 1F466-1F478:EB 1F47C:EB 1F481-1F483:EB
1F485-1F487:EB 1F48F:EB 1F491:EB 1F4A0:AL 1F4A2:AL 1F4A4:AL 1F4AA:EB 1F4AF:AL 1F4B1-1F4B2:AL 1F500-1F506:AL
1F517-1F524:AL 1F532-1F549:AL 1F574-1F575:EB 1F57A:EB 1F590:EB 1F595-1F596:EB 1F5D4-1F5DB:AL 1F5F4-1F5F9:AL
1F645-1F647:EB 1F64B-1F64F:EB 1F650-1F675:AL 1F676-1F678:QU 1F679-1F67B:NS 1F67C-1F67F:AL 1F6A3:EB
1F6B4-1F6B6:EB 1F6C0:EB 1F6CC:EB 1F6D8-1F6DC:EB 1F6ED-1F6EF:EB 1F6FD-1F6FF:EB 1F700-1F773:AL 1F774-1F77F:EB
1F780-1F7D4:AL 1F7D9-1F7DF:EB 1F7EC-1F7EF:EB 1F7F1-1F7FF:EB 1F800-1F80B:AL 1F80C-1F80F:EB 1F810-1F847:AL
1F848-1F84F:EB 1F850-1F859:AL 1F85A-1F85F:EB 1F860-1F887:AL 1F888-1F88F:EB 1F890-1F8AD:AL 1F8AE-1F8AF:EB
1F8B2-1F8FF:EB 1F900-1F90B:AL 1F90C:EB 1F90F:EB 1F918-1F91F:EB 1F926:EB 1F930-1F939:EB 1F93C-1F93E:EB
1F977:EB 1F9B5-1F9B6:EB 1F9B8-1F9B9:EB 1F9BB:EB 1F9CD-1F9CF:EB 1F9D1-1F9DD:EB 1FA00-1FA53:AL 1FA54-1FA5F:EB
1FA6E-1FA6F:EB 1FA75-1FA77:EB 1FA7D-1FA7F:EB 1FA87-1FA8F:EB 1FAAD-1FAAF:EB 1FABB-1FABF:EB 1FAC3-1FACF:EB
1FADA-1FADF:EB 1FAE8-1FAFF:EB 1FB93:AL 1FBCB-1FBEF:AL 1FBFA-1FBFF:AL 1FC00-1FFFD:EB
"""
_NAMES = dict(zip("WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 "
                  "ID2 JL JV JT HL RI ZWJ EB EM BK CR LF CM ZW SP".split(), range(39)))


def _parse_exceptions(table: str) -> tuple[list[int], list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    classes: list[int] = []
    for token in table.split():
        span, name = token.split(":")
        first, _, last = span.partition("-")
        starts.append(int(first, 16))
        ends.append(int(last or first, 16))
        classes.append(_NAMES[name])
    return starts, ends, classes


_EXC_STARTS, _EXC_ENDS, _EXC_CLASSES = _parse_exceptions(_CLASS_EXCEPTIONS)


@lru_cache(maxsize=4096)
def _lb_class(cp: int) -> int:
    """The resolved line-break class of a code point (AI, SA, XX as AL; CJ as NS)."""
    if cp < 0x80:
        if cp < 32 or cp == 127:
            return _ASCII_CLASSES.get(cp, CM)
        if 48 <= cp <= 57:
            return NU
        return _ASCII_CLASSES.get(cp, AL)
    found = bisect.bisect_right(_EXC_STARTS, cp) - 1
    if found >= 0 and cp <= _EXC_ENDS[found]:
        return _EXC_CLASSES[found]
    if 0xAC00 <= cp <= 0xD7A3:
        return H2 if (cp - 0xAC00) % 28 == 0 else H3
    char = chr(cp)
    category = unicodedata.category(char)
    if category == "Cn":
        if 0x1F000 <= cp <= 0x1FFFD:
            return ID2
        return ID1 if any(lo <= cp <= hi for lo, hi in _WIDE_UNASSIGNED) else AL
    if category in ("Mn", "Mc") and any(lo <= cp <= hi for lo, hi in _COMPLEX_SCRIPTS):
        # South-East Asian scripts (class SA) resolve to AL, marks included.
        return AL
    wide = unicodedata.east_asian_width(char) in ("W", "F")
    if category in ("Mn", "Mc", "Me", "Cc", "Cf"):
        return CM
    if category == "Zs":
        return BA
    if category in ("Zl", "Zp"):
        return BK
    if category == "Nd":
        return NU
    if category == "Ps":
        return OP2 if wide else OP1
    if category == "Pe":
        return CL
    if category in ("Pi", "Pf"):
        return QU
    if category == "Pd":
        return NS if cp in (0x301C, 0x30A0) else BA
    if category == "Sc":
        return PR
    if category == "Lm" and 0x3000 <= cp <= 0x30FF:
        return NS
    if category == "Lo" and (0x3041 <= cp <= 0x30FF) and "SMALL" in unicodedata.name(char, ""):
        return NS
    if wide or 0x1F000 <= cp <= 0x1FAFF:
        return ID1
    return AL


@lru_cache(maxsize=4096)
def _char_width(cp: int) -> int:
    """Columns a code point takes as libunistring's uc_width counts them (UTF-8)."""
    if cp < 0xA0:
        if cp == 0:
            return 0
        return -1 if cp < 0x20 or cp >= 0x7F else 1
    char = chr(cp)
    category = unicodedata.category(char)
    if category == "Cn":
        return 2 if any(lo <= cp <= hi for lo, hi in _WIDE_UNASSIGNED) else 1
    if cp in _SPACING_MARKS:
        return 1
    if category in ("Mn", "Me", "Cf") or 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    return 1


_COMPLEX_SCRIPTS = (
    (0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x1950, 0x19DF), (0x1A20, 0x1AAF),
    (0xA9E0, 0xA9FF), (0xAA60, 0xAADF), (0x11700, 0x1174F),
)
#: Unassigned code points libunistring counts as two columns (CJK blocks).
_WIDE_UNASSIGNED = (
    (0x2E80, 0x303E), (0x3040, 0xA4CF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F),
    (0xFF00, 0xFF60), (0x1F200, 0x1F2FF), (0x20000, 0x3FFFF),
)
#: Marks libunistring counts as one column (its tables predate their reclassification).
_SPACING_MARKS = frozenset({0xCBF, 0xCC6, 0x11A07, 0x11A08, 0x11C3F})


_POSSIBLE, _MANDATORY = 2, 3
_LETTERS = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F"
# Words of Latin letters (class AL) separated by single spaces, spaces, any other.
_TOKEN = re.compile(rf"([{_LETTERS}]+(?: [{_LETTERS}]+)*)|( +)|(.)", re.DOTALL)
_SPACE = re.compile(" ")
_CLASS_OF: dict[str, int] = {}
_WIDTH_OF: dict[str, int] = {}


def break_opportunities(text: str) -> list[tuple[int, int]]:
    """(position, UC_BREAK_POSSIBLE or _MANDATORY) before which a line may or must
    end, as libunistring's u8_possible_linebreaks finds them."""
    found: list[tuple[int, int]] = []
    prev_prop = last_prop = BK
    seen_space = False
    ri_count = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastindex
        if kind == 2:  # spaces
            seen_space = True
            prev_prop = SP
            ri_count = 0
            continue
        index = match.start()
        if kind == 1:
            # Letters and single spaces: AL SP AL breaks after each space (rule I),
            # never inside a word; only the first word depends on what came before.
            if last_prop != BK and prev_prop != ZWJ and prev_prop != _HL_BA:
                if last_prop == ZW:
                    found.append((index, _POSSIBLE))
                else:
                    rule = _PAIR[last_prop][AL]
                    if rule == "D" or (rule == "I" and seen_space):
                        found.append((index, _POSSIBLE))
            found.extend((space.end(), _POSSIBLE) for space in _SPACE.finditer(text, index, match.end()))
            prev_prop = last_prop = AL
            seen_space = False
            ri_count = 0
            continue
        char = match.group(3)
        prop = _CLASS_OF.get(char, -1)
        if prop < 0:
            prop = _CLASS_OF[char] = _lb_class(ord(char))
        if prop == BK or prop == LF or prop == CR:
            found.append((index, _MANDATORY))
            prev_prop = prop
            last_prop = BK
            seen_space = False
            ri_count = 0
            continue
        if prop == SP:
            seen_space = True
        elif prop == ZW:
            last_prop = ZW
            seen_space = False
        elif prop == CM or prop == ZWJ:
            if last_prop == BK:
                last_prop = AL
                seen_space = False
            elif last_prop == ZW or seen_space:
                found.append((index, _POSSIBLE))
                last_prop = AL
                seen_space = False
        else:
            if last_prop == BK or prev_prop == ZWJ or prev_prop == _HL_BA:
                pass
            elif last_prop == ZW:
                found.append((index, _POSSIBLE))
            elif last_prop == RI and prop == RI:
                if seen_space or ri_count % 2 == 0:
                    found.append((index, _POSSIBLE))
            else:
                rule = _PAIR[last_prop][prop]
                if rule == "D" or (rule == "I" and seen_space):
                    found.append((index, _POSSIBLE))
            last_prop = prop
            seen_space = False
        prev_prop = _HL_BA if prev_prop == HL and (prop == HY or prop == BA) else prop
        ri_count = ri_count + 1 if prop == RI else 0
    return found


#: Characters one column wide (checked against libunistring in the tests), so a
#: text made of them alone is as wide as it is long.
_NARROW = re.compile(
    "[ -~\u00A0-\u00AC\u00AE-\u02FF\u0370-\u0482\u048A-\u0590\u2010-\u2027\u2030-\u205F"
    "\u20A0-\u20CF\u2100-\u218F\u2190-\u2319\u2B00-\u2B1A]*"
)


def columns(text: str) -> list[int] | None:
    """Columns up to each position (None when that is just the position)."""
    if _NARROW.fullmatch(text):
        return None
    columns = [0]
    total = 0
    for char in text:
        w = _WIDTH_OF.get(char)
        if w is None:
            w = _WIDTH_OF[char] = max(_char_width(ord(char)), 0)
        total += w
        columns.append(total)
    return columns


def width_linebreaks(
    text: str, opportunities: list[tuple[int, int]], columns: list[int] | None, width: int, start_column: int
) -> list[int]:
    """Positions to break at so no line is wider than ``width`` (u8_width_linebreaks)."""
    breaks: list[int] = []
    last_p = -1
    last_column = start_column
    piece_start = 0
    for position, kind in opportunities:
        piece = (columns[position] - columns[piece_start]) if columns else position - piece_start
        if last_p >= 0 and last_column + piece > width:
            breaks.append(last_p)
            last_column = 0
        if kind == _MANDATORY:
            # The separator itself takes no column; a new line starts after it.
            last_p = -1
            last_column = 0
            piece_start = position + 1
        else:
            last_p = position
            last_column += piece
            piece_start = position
    end = len(text)
    piece = (columns[end] - columns[piece_start]) if columns else end - piece_start
    if last_p >= 0 and last_column + piece > width:
        breaks.append(last_p)
    return breaks


