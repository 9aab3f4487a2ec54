"""Every inference engine and precision side by side, for rtseg and the reference U-Net (width 64) at 288x512.

Writes nbs/experiments/engines_bench.json, which the Engines section of nbs/benchmarks.ipynb shows, keeps a copy of each full run
in nbs/experiments/engines_runs/ (the page compares them: this machine's speed varies), and prints the rows.
Run it on a quiet machine: `python tools/bench_engines.py` (about 15 minutes on 2 cores); `--quick` is a smoke test
(tiny sizes, a few images; its figures mean nothing).
"""
import argparse, json, os, shutil, statistics, sys, tempfile, time
from pathlib import Path
import numpy as np
import torch
from PIL import Image
from defectseg.core import device_info, versions, _autocast_works
from defectseg.engines import engine_installed, openvino_bf16, cpu_threads
from defectseg.inference import Predictor, StageTimes, infer, folder_options
from defectseg.learner import upsample_mask
from defectseg.data import make_tiny_dataset, read_image
from defectseg.learner import quiet_training
from defectseg.models import build_model, model_flops
from defectseg.run import Run
from defectseg.synth import synth_image
from defectseg.training import train
from fastai.vision.data import imagenet_stats
from fastai.torch_core import TensorImage

OUT = Path(__file__).resolve().parent.parent/'nbs'/'experiments'/'engines_bench.json'

def timed(f, n:int) -> list:
    "Milliseconds of `n` calls of `f`, after one untimed call"
    f(); out = []
    for _ in range(n):
        t = time.perf_counter(); f(); out.append(1e3 * (time.perf_counter() - t))
    return out

def combos() -> list:
    "(backend, precision) pairs installed here (int8: OpenVINO, asked for by name), and what a user gets by default (auto, auto)"
    bf16 = _autocast_works('cpu', torch.bfloat16)
    pairs = [('torch', 'fp32'), ('torch', 'bf16'), ('onnx', 'fp32'), ('openvino', 'fp32'), ('openvino', 'bf16'), ('openvino', 'int8')]
    return [(b, p) for b, p in pairs if engine_installed(b) and (p in ('fp32', 'int8') or bf16)] + [('auto', 'auto')]

def make_runs(work:Path, size:tuple) -> dict:
    "A one-epoch rtseg run at `size`, and a U-Net of width 64 with random weights in a copy of its folder"
    data = make_tiny_dataset(work/'msd', n_per_class=4, n_good=2, size=(144, 256))
    with quiet_training():
        rt = train(data, epochs=1, model='rtseg', img_h=size[0], img_w=size[1], batch_size=4, out_dir=work/'runs', precision='fp32')
    unet = work/'runs'/'unet64'; shutil.copytree(rt, unet)
    cfg = json.loads((unet/'config.json').read_text()); cfg.update(model='unet', model_kwargs={'base_channels': 64})
    (unet/'config.json').write_text(json.dumps(cfg))
    torch.manual_seed(0); torch.save(build_model('unet', n_out=1, base_channels=64).state_dict(), unet/'best.pth')
    return {'rtseg': Run(rt), 'unet64': Run(unet)}

def make_photos(work:Path, n:int, shape:tuple) -> tuple:
    "(one 1080p JPEG, a folder of `n` of them, a folder of 4): synthetic phone photographs, quality 90"
    folder, eight, four = work/'photos', work/'photos8', work/'photos4'; folder.mkdir(); eight.mkdir(); four.mkdir()
    for i in range(8):
        cls = ('oil', 'scratch', 'stain', 'good')[i % 4]
        Image.fromarray(synth_image(np.random.default_rng(i), cls, width=shape[1], height=shape[0])[0]).save(eight/f'p{i:03d}.jpg', quality=90)
    for i in range(n): shutil.copy(eight/f'p{i % 8:03d}.jpg', folder/f'p{i:03d}.jpg')
    for i in range(4): shutil.copy(eight/f'p{i:03d}.jpg', four/f'p{i:03d}.jpg')
    return eight/'p000.jpg', folder, four

def seed_path(model, path, size) -> np.ndarray:
    "The original project's path: PIL decode, resize, fp32 eager network, sigmoid, threshold"
    im = Image.open(path).convert('RGB').resize((size[1], size[0]), Image.BILINEAR)
    mean, std = (torch.tensor(s).view(1, 3, 1, 1) for s in imagenet_stats)
    x = (torch.tensor(np.asarray(im)).permute(2, 0, 1)[None].float() / 255 - mean) / std
    with torch.no_grad(): return (torch.sigmoid(model(x))[0, 0] > 0.5).numpy()

def measure(name:str, run:Run, backend:str, precision:str, photo:Path, small:Path, folder:Path, work:Path, reps:int, with_overlays:bool=True) -> dict:
    "One row: first prediction with export, bare forward, pixels to probabilities, Predictor.predict, folder throughput and its stage shares"
    os.environ['DEFECTSEG_CACHE'] = str(work/'cache'/f'{name}-{backend}-{precision}')   # an empty cache: the first prediction exports
    t = time.perf_counter()
    pred = Predictor.from_run(run, backend=backend, precision=precision)
    pred.predict(photo)
    first_s = time.perf_counter() - t
    rgb = read_image(photo, pred.size)[0]
    x = pred.tfms(TensorImage(torch.from_numpy(rgb).permute(2, 0, 1)[None].to(pred.device))).as_subclass(torch.Tensor)
    forward = timed(lambda: pred.engine(x), reps)             # the network alone, on a normalised batch
    pixels = timed(lambda: pred.probs(rgb), reps)             # uint8 pixels to probabilities: normalisation, network, sigmoid
    latency = timed(lambda: pred.predict(photo), reps)       # 1080p JPEG in, full-size 0/1 mask out
    at_size = timed(lambda: pred.predict(small), reps)        # a JPEG of the network's size: the network plus the least around it
    busy = Predictor.from_run(run, backend=backend, precision=precision, **folder_options())   # as defectseg_infer builds it for a folder
    busy.probs([np.zeros((*busy.size, 3), np.uint8)] * min(8, len(list(folder.iterdir()))))   # compiled for the folder's batches first
    rates = {}
    for overlays in (False, True) if with_overlays else (False,):
        times, out = StageTimes(), work/'out'/f'{name}-{backend}-{precision}-{overlays}'
        t = time.perf_counter()
        written, _ = infer(folder, predictor=busy, out=out, masks_only=not overlays, progress=False, times=times)
        rates[overlays] = (len(written) / (time.perf_counter() - t), times.shares())
        shutil.rmtree(out)
    return dict(model=name, engine=f'auto: {pred.backend}' if backend == 'auto' else backend, precision=pred.precision, first_prediction_s=first_s,
                forward_ms=min(forward), forward_median_ms=statistics.median(forward), probs_ms=min(pixels), predict_1080p_ms=statistics.median(latency),
                predict_at_size_ms=statistics.median(at_size), folder_masks_per_s=rates[False][0], folder_shares=rates[False][1],
                folder_with_overlays_per_s=rates.get(True, (None,))[0], folder_with_overlays_shares=rates.get(True, (None, None))[1])

def mask_ms(size:tuple, photo:tuple, reps:int) -> dict:
    "Milliseconds of `upsample_mask` from the network's size to the photograph's: a map with no probability near the threshold, and one with a defect"
    empty = np.full(size, 0.02, np.float32)
    blob = empty.copy(); blob[size[0] // 3: size[0] // 2, size[1] // 3: size[1] // 2] = 0.9
    return {k: statistics.median(timed(lambda: upsample_mask(m, photo, 0.5), reps)) for k, m in (('empty', empty), ('defect', blob))}

def matmul_peak(n:int=4096, reps:int=5) -> dict:
    "GFLOP/s of the best of `reps` n x n matmuls, fp32 and bf16, with the engines' threads"
    out = {}
    for name, dtype in (('fp32', torch.float32), ('bf16', torch.bfloat16)):
        a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
        out[name] = 2 * n**3 / (min(timed(lambda: a @ b, reps)) / 1e3) / 1e9
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quick', action='store_true', help='a smoke test: tiny sizes, a few images (the figures mean nothing)')
    ap.add_argument('--out', default=str(OUT), help='the JSON file to write')
    args = ap.parse_args()
    size, shape, n_folder, reps = ((64, 112), (216, 384), 16, 3) if args.quick else ((288, 512), (1080, 1920), 240, 30)
    torch.set_num_threads(cpu_threads())
    work = Path(tempfile.mkdtemp(prefix='defectseg_bench_engines_'))
    try:
        runs = make_runs(work, size)
        photo, folder, four = make_photos(work, n_folder, shape)
        small = work/'small.jpg'; Image.open(photo).resize((size[1], size[0]), Image.BILINEAR).save(small, quality=90)
        rows = []
        for name, run in runs.items():
            big = name == 'unet64' and not args.quick
            for backend, precision in combos():
                rows.append(measure(name, run, backend, precision, photo, small, four if big else folder, work, 7 if big else reps, not big))
                print(json.dumps(rows[-1]), flush=True)
        unet = runs['unet64'].model()
        seed_ms = statistics.median(timed(lambda: seed_path(unet, small, size), 7 if not args.quick else 1))
        flops = model_flops(runs['rtseg'].model(), size)
        info = device_info()
        result = dict(machine=dict(**info, load_average=os.getloadavg(), openvino_bf16=openvino_bf16(),
                                   auto={r['model']: r['engine'].split(': ')[1] for r in rows if r['engine'].startswith('auto')},
                                   threads=cpu_threads(), versions={k: v for k, v in versions().items() if v}),
                      quick=args.quick, size=size, photo=shape, folder_images=n_folder, rows=rows, seed_unet_ms=seed_ms,
                      rtseg_gflop=flops / 1e9, mask_ms=mask_ms(size, shape, reps), matmul_gflops=matmul_peak(1024 if args.quick else 4096))
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=1))
        if not args.quick:   # every full run is kept too: this machine's speed varies from run to run
            (RUNS := Path(args.out).parent/'engines_runs').mkdir(exist_ok=True)
            (RUNS/f"{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(result, indent=1))
        print(f"wrote {args.out}")
    finally: shutil.rmtree(work, ignore_errors=True)

if __name__ == '__main__':
    sys.exit(main())
