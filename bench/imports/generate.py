#!/usr/bin/env python3
"""Writes an official list of N rows (issue 15's benchmark): N different enterprises with valid
USCCs (GB 32100-2015) in every county of Zhejiang, smart factories and digital workshops with
distinct titles, recognised on a date of 2024. Usage: generate.py N OUT.csv [SEED]"""

import csv
import random
import sys
from pathlib import Path

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def uscc(rng, area):
    body = "".join(rng.choice(ORG[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    value = lambda c: int(c) if c.isdigit() else ord(c) - 55
    r = 11 - sum(value(body[i]) * w for i, w in enumerate([3, 7, 9, 10, 5, 8, 4, 2])) % 11
    c17 = "X" if r == 10 else "0" if r == 11 else str(r)
    first = "91" + area + body + c17
    c18 = (31 - sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first)) % 31) % 31
    return first + ALPHABET[c18]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 15)
    divisions = Path(__file__).resolve().parents[2] / "data" / "reference" / "divisions.csv"
    counties = [r["code"] for r in csv.DictReader(open(divisions, encoding="utf-8")) if r["level"] == "county"]
    seen = set()
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["序号", "统一社会信用代码", "企业名称", "区县代码", "类型", "级别", "认定日期", "文号", "批次", "项目名称"])
        for i in range(1, n + 1):
            county = rng.choice(counties)
            code = uscc(rng, county)
            while code in seen:
                code = uscc(rng, county)
            seen.add(code)
            kind = rng.choice(["智能工厂", "数字化车间"])
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            w.writerow([i, code, f"浙江测试{i}号制造有限公司", county, kind, "", day,
                        f"浙经信产数〔2024〕{i % 300 + 1}号", "2024年第一批", f"测试{i}号{kind}项目"])


if __name__ == "__main__":
    main()
