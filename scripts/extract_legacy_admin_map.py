"""Extract the pre-reform districts and communes and the 2025 commune conversion table.

ansinh depends on ``vietnam-provinces`` 2025.10.1, which holds only the map in force from
2025-07-01. The 2026 releases add the map of the 63 provinces, 696 districts and 10,051
communes in force just before the reform (``vietnam_provinces.legacy``) and the statistics
office's old-commune -> new-commune conversion table (``_ward_conversion_2025``), but they
require Python 3.12, so they cannot be a dependency. Their data modules do import on 3.11,
so this script reads them straight from the wheel and writes compressed CSVs that ship with
ansinh::

    pip download --no-deps --python-version 3.12 --only-binary=:all: \\
        -d /tmp/vp2 vietnam-provinces==2026.9.0
    .venv/bin/python scripts/extract_legacy_admin_map.py /tmp/vp2/vietnam_provinces-2026.9.0-py3-none-any.whl

A conversion row is kept only when both communes exist (the old one in the legacy map, the
new one in the installed 2025.10.1 list) and the new commune lies in the province that the
old commune's province went into under Resolution 202/2025/QH15 (``provinces-2025.csv``).
The old commune's province is taken from its own district, not from the row's label: one
row labels Phường 4 of Tân An (Long An, 80) as Tiền Giang (82), which is where the
package's "Tiền Giang -> Tây Ninh" province link comes from; ansinh never makes that link.
What was dropped, and why, is written to ``legacy-admin-map.yaml`` beside the CSVs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import importlib
import io
import json
import sys
import unicodedata
import zipfile
from collections import Counter
from importlib import metadata
from pathlib import Path
from types import ModuleType

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "ansinh" / "org" / "data"


_TONE_STYLE = str.maketrans({"’": "'", "–": "-"})
_OLD_STYLE_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}


def _name_key(name: str) -> str:
    """A commune name as both releases would agree on it.

    2025.10.1 writes some names with old-style tone marks ("Thuỷ", "Hoà"), double spaces or
    an en dash, where the 2026 releases write "Thủy", "Hòa", one space and a hyphen.
    """
    text = " ".join(unicodedata.normalize("NFC", name).translate(_TONE_STYLE).split()).casefold()
    for old, new in _OLD_STYLE_TONES.items():
        text = text.replace(old, new)
    return text


def _nested(text: str | bytes) -> dict[int, tuple[int, str]]:
    """Commune code -> (province code, name) from a nested-divisions JSON document."""
    divisions = json.loads(text)
    return {
        ward["code"]: (province["code"], ward["name"])
        for province in divisions
        for ward in province["wards"]
    }


def _installed_new_communes() -> dict[int, tuple[int, str]]:
    """The installed 2025.10.1 communes, read from its JSON without importing it."""
    path = metadata.distribution("vietnam-provinces").locate_file(
        "vietnam_provinces/data/nested-divisions.json"
    )
    return _nested(Path(str(path)).read_text(encoding="utf-8"))


def _code_translation(wheel: Path, installed: dict[int, tuple[int, str]]) -> dict[int, int]:
    """The wheel's (statistics office) commune code -> the installed 2025.10.1 code.

    The two releases number about a hundred communes differently (2025.10.1 has "Phường Cửa
    Nam" as 73, the office's list as 82), so communes are matched on province and name.
    """
    with zipfile.ZipFile(wheel) as archive:
        nso = _nested(archive.read("vietnam_provinces/data/nested-divisions.json"))
    by_name = {(province, _name_key(name)): code for code, (province, name) in installed.items()}
    translation = {}
    for code, (province, name) in nso.items():
        match = by_name.get((province, _name_key(name)))
        if match is not None:
            translation[code] = match
    return translation


def _province_successor() -> dict[int, int]:
    """Old province code -> new province code, per Resolution 202/2025/QH15."""
    with (DATA / "provinces-2025.csv").open(encoding="utf-8") as handle:
        return {int(row["old_code"]): int(row["new_code"]) for row in csv.DictReader(handle)}


def _load_wheel(wheel: Path) -> tuple[ModuleType, ModuleType, ModuleType]:
    """The wheel's top-level package, its legacy lookups and its commune conversion module."""
    for name in [m for m in sys.modules if m.split(".")[0] == "vietnam_provinces"]:
        del sys.modules[name]
    sys.path.insert(0, str(wheel))
    package = importlib.import_module("vietnam_provinces")
    if not str(package.__file__).startswith(str(wheel)):
        raise SystemExit(f"vietnam_provinces was imported from {package.__file__}, not {wheel}")
    legacy = importlib.import_module("vietnam_provinces.legacy._lookup")
    conversion = importlib.import_module("vietnam_provinces._ward_conversion_2025")
    return package, legacy, conversion


def _write(name: str, header: list[str], rows: list[list[str]]) -> None:
    # mtime=0 keeps the file byte-identical when the data does not change.
    with (
        (DATA / name).open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as zipped,
        io.TextIOWrapper(zipped, encoding="utf-8", newline="") as text,
    ):
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _districts_and_communes(
    legacy: ModuleType,
) -> tuple[list[list[str]], list[list[str]], dict[int, int]]:
    districts = sorted(legacy.DISTRICT_MAPPING.values(), key=lambda d: int(d.code))
    district_rows = [
        [f"{int(d.code):03d}", d.name, d.division_type.value, f"{int(d.province_code):02d}"]
        for d in districts
    ]
    province_of = {int(d.code): int(d.province_code) for d in districts}
    communes = sorted(legacy.WARD_MAPPING.values(), key=lambda w: int(w.code))
    commune_rows = [
        [f"{int(w.code):05d}", w.name, w.division_type.value, f"{int(w.district_code):03d}"]
        for w in communes
    ]
    commune_province = {int(w.code): province_of[int(w.district_code)] for w in communes}
    return district_rows, commune_rows, commune_province


def _conversions(
    conversion: ModuleType, commune_province: dict[int, int],
    installed: dict[int, tuple[int, str]], translation: dict[int, int],
) -> tuple[list[list[str]], Counter[str], list[str]]:
    """Rows kept, rows dropped by reason, and province labels corrected from the district."""
    successor = _province_successor()
    rows: list[list[str]] = []
    dropped: Counter[str] = Counter()
    relabelled: list[str] = []
    for entry in conversion.OLD_TO_NEW.values():
        old = entry.old_ward
        old_province = commune_province.get(old.code)
        if old_province is None:
            dropped["old commune not in the legacy map"] += len(entry.new_wards)
            continue
        if old_province != old.province_code:
            relabelled.append(
                f"commune {old.code:05d}: labelled province {old.province_code:02d}, "
                f"in province {old_province:02d} by its district {old.district_code:03d}"
            )
        for new in entry.new_wards:
            code = translation.get(new.code)
            if code is None:
                dropped["new commune not found in vietnam-provinces 2025.10.1"] += 1
            elif installed[code][0] != successor[old_province]:
                dropped["new commune outside the old province's successor (Res. 202)"] += 1
            else:
                partly = "1" if old.is_partly_merged else "0"
                rows.append([f"{old.code:05d}", f"{code:05d}", f"{new.code:05d}", partly])
    rows.sort()
    return rows, dropped, sorted(relabelled)


def main() -> None:
    """Read the wheel given on the command line and write the CSVs and their provenance."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="vietnam_provinces-2026.x wheel (a zip file)")
    wheel = parser.parse_args().wheel.resolve()
    installed = _installed_new_communes()  # before the wheel shadows the installed package
    translation = _code_translation(wheel, installed)
    package, legacy, conversion = _load_wheel(wheel)
    district_rows, commune_rows, commune_province = _districts_and_communes(legacy)
    conversion_rows, dropped, relabelled = _conversions(
        conversion, commune_province, installed, translation
    )
    _write("legacy-districts.csv.gz", ["code", "name", "division_type", "province_code"], district_rows)
    _write("legacy-communes.csv.gz", ["code", "name", "division_type", "district_code"], commune_rows)
    _write("commune-conversion-2025.csv.gz", ["old_code", "new_code", "new_code_nso", "partly"], conversion_rows)
    provenance = {
        "package": f"vietnam-provinces {package.__version__}",
        "data_version": package.__data_version__,
        "wheel": wheel.name,
        "wheel_sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "conversion_source": f"{conversion.SOURCE} (effective {conversion.EFFECTIVE_DATE})",
        "counts": {
            "legacy_districts": len(district_rows),
            "legacy_communes": len(commune_rows),
            "conversion_rows_kept": len(conversion_rows),
            "communes_matched_by_name": len(translation),
            "communes_numbered_differently": sum(1 for a, b in translation.items() if a != b),
        },
        "dropped_conversion_rows": dict(sorted(dropped.items())),
        "province_labels_corrected": relabelled,
    }
    with (DATA / "legacy-admin-map.yaml").open("w", encoding="utf-8") as handle:
        handle.write("# Written by scripts/extract_legacy_admin_map.py; do not edit by hand.\n")
        yaml.safe_dump(provenance, handle, allow_unicode=True, sort_keys=False, width=100)
    print(yaml.safe_dump(provenance, allow_unicode=True, sort_keys=False))


if __name__ == "__main__":
    main()
