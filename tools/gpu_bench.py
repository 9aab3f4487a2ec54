#!/usr/bin/env python
"""Training and inference images/s of the reference study's U-Net (base width 64) at 288x512 on a GPU.

Never part of the CPU test run. Batches are random tensors already on the GPU, so the figures are the network's
(forward, loss, backward and Adam step for training; forward only for inference), not the data pipeline's.

    python tools/gpu_bench.py                       # bf16 where the GPU has it, else fp16; batch 64
    python tools/gpu_bench.py --precision fp16 --compile --batch_size 64 --steps 30
"""
import argparse, json, time
import torch
from defectseg.core import device_info, AUTOCAST_DTYPES, PRECISIONS
from defectseg.models import build_model
from defectseg.losses import BCEDiceLoss

def images_per_s(step, batch_size:int, steps:int, warmup:int) -> float:
    "Images per second of `step()` over `steps` calls, after `warmup` untimed ones, synchronising the GPU"
    for _ in range(warmup): step()
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(steps): step()
    torch.cuda.synchronize()
    return steps * batch_size / (time.perf_counter() - t)

def bench(precision:str='auto', batch_size:int=64, size=(288, 512), steps:int=20, warmup:int=5, compile:bool=False,
          channels_last:bool=True) -> dict:
    if not torch.cuda.is_available(): raise SystemExit("gpu_bench: no CUDA GPU here; this script measures GPUs only")
    if precision == 'auto': precision = 'bf16' if torch.cuda.is_bf16_supported() else 'fp16'
    dtype = AUTOCAST_DTYPES[precision]
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = build_model('unet', n_out=1).cuda().to(memory_format=fmt)
    net = torch.compile(model) if compile else model
    x = torch.randn(batch_size, 3, *size, device='cuda').contiguous(memory_format=fmt)
    y = (torch.rand(batch_size, *size, device='cuda') > 0.99).long()
    loss_func, opt = BCEDiceLoss(), torch.optim.Adam(model.parameters(), lr=1e-3)
    scaler = torch.amp.GradScaler('cuda', enabled=precision == 'fp16')
    def train_step():
        with torch.autocast('cuda', dtype=dtype, enabled=dtype is not None): loss = loss_func(net(x).float(), y)
        scaler.scale(loss).backward(); scaler.step(opt); scaler.update(); opt.zero_grad(set_to_none=True)
    def infer_step():
        with torch.inference_mode(), torch.autocast('cuda', dtype=dtype, enabled=dtype is not None): net(x)
    model.train(); train = images_per_s(train_step, batch_size, steps, warmup)
    model.eval(); infer = images_per_s(infer_step, batch_size, steps, warmup)
    return dict(device=device_info()['name'], precision=precision, channels_last=channels_last, compile=compile,
                batch_size=batch_size, size=list(size), train_images_per_s=round(train, 1), infer_images_per_s=round(infer, 1),
                max_memory_gib=round(torch.cuda.max_memory_allocated() / 2**30, 2), torch=torch.__version__)

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--precision', default='auto', choices=PRECISIONS)
    p.add_argument('--batch_size', type=int, default=64)
    p.add_argument('--img_h', type=int, default=288)
    p.add_argument('--img_w', type=int, default=512)
    p.add_argument('--steps', type=int, default=20)
    p.add_argument('--compile', action='store_true', help='torch.compile the network first')
    p.add_argument('--no-channels_last', dest='channels_last', action='store_false')
    a = p.parse_args()
    print(json.dumps(bench(a.precision, a.batch_size, (a.img_h, a.img_w), a.steps, compile=a.compile, channels_last=a.channels_last), indent=2))
