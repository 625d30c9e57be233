"""The files inside the .7z fixtures of this folder (deterministic), shared by ``make.sh`` and
the tests that check what core/sevenzip.py extracts."""

import random


def files() -> dict:
    rnd = random.Random(11)
    cells = "\n".join(
        f"CRS3035RES200mN{2000000 + 200 * i}E{4000000 + 200 * i};{rnd.randint(0, 99)}"
        for i in range(3000)
    )
    return {
        "carreaux.csv": ("idcar_200m;ind\n" + cells + "\n").encode(),
        "bruit.bin": bytes(rnd.getrandbits(8) for _ in range(20000)),
        "vide.txt": b"",
        "sous/lisez-moi.txt": ("Données de test. " * 200).encode("utf-8"),
    }


if __name__ == "__main__":
    import sys
    from pathlib import Path

    out = Path(sys.argv[1])
    for name, data in files().items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
