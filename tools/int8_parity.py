"""What OpenVINO int8 costs in accuracy: the architecture study's seed-0 runs (U-Net and RTSeg) scored on the fixed synthetic
test set at the photographs' own size, in PyTorch fp32, OpenVINO f32 and OpenVINO int8, with the share of mask pixels
int8 and f32 agree on with PyTorch fp32. Writes nbs/experiments/int8_parity.json, which the Benchmarks page shows.

Needs the study's run folders and draws (`python tools/run_study.py architectures` leaves them in the system's temporary
folder, defectseg_exp/):

    python tools/int8_parity.py"""
import json, sys, tempfile, warnings
from pathlib import Path
import numpy as np, torch
from defectseg.data import find_items, load_image
from defectseg.engines import build_engine, make_engine
from defectseg.evaluate import evaluate_run
from defectseg.experiments import Protocol
from defectseg.run import Run

ROOT = Path(tempfile.gettempdir())/'defectseg_exp'
OUT = Path(__file__).resolve().parent.parent/'nbs'/'experiments'/'int8_parity.json'

def main():
    test = Protocol().test_set(ROOT/'draws')
    items = list(find_items(test).image)
    rows = []
    for arch in ('unet', 'rtseg'):
        run = ROOT/'architectures_per_seed'/f'{arch}_s0'
        if not run.is_dir(): sys.exit(f"int8_parity.py: {run} is not there: run `python tools/run_study.py architectures` first")
        r = Run(run)
        rgbs = np.stack([load_image(p, r.size) for p in items])
        ref = build_engine('torch', r, r.size, torch.device('cpu'), 'fp32').probs(rgbs, r.stats) > r.threshold
        for backend, prec in (('torch', 'fp32'), ('openvino', 'fp32'), ('openvino', 'int8')):
            e = make_engine(r, r.config, backend, device='cpu', precision=prec)
            agree = float(((e.probs(rgbs, r.stats) > r.threshold) == ref).mean())
            with warnings.catch_warnings():
                warnings.simplefilter('ignore')   # --split all on a folder the run was not trained on: nothing to warn about
                res = evaluate_run(test, run, split='all', backend=backend, precision=prec, out=Path(tempfile.mkdtemp())/'eval',
                                   verbose=False, n_per_class=0, n_worst=0)
            rows.append(dict(arch=arch, base_channels=r.config['model_kwargs'].get('base_channels'), engine=backend, precision=prec,
                             pixels_agree=agree, defect_dice=res['defect_dice'], defect_dice_lo=res['ci']['defect_dice'][0],
                             defect_dice_hi=res['ci']['defect_dice'][1], n_images=res['n_images'], scored_at=res['scored_at']))
            print(json.dumps(rows[-1]), flush=True)
    OUT.write_text(json.dumps(dict(test_set=test.name, rows=rows), indent=1) + '\n')
    print(f"wrote {OUT}")

if __name__ == '__main__': main()
