"""The architectures of the corpus: torchvision / timm models (random weights) and small
hand-written nets in the style of the matting / bokeh / detection models mai's users ship.

Each Arch builds the full-size model (`full`) and a shrunken one of the same architecture for the
committed CI subset (`ci`: fewer channels, fewer classes, smaller input)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Arch:
    name: str
    family: str  # cnn | segmentation | matting | multiscale | attention | detector
    source: str  # where the architecture comes from
    build: Callable[[bool], nn.Module]  # build(ci) -> module in eval mode
    shape: tuple[int, ...]  # full-size input (NCHW)
    ci_shape: tuple[int, ...] | None = None  # input of the CI variant; None: not in the CI subset


def _tv(fn: str, **kw):
    import torchvision.models as m

    return getattr(m, fn)(weights=None, **kw)


def _seg(fn: str, **kw):
    import torchvision.models.segmentation as m

    return getattr(m, fn)(weights=None, weights_backbone=None, **kw)


def _timm(name: str, **kw):
    import timm

    return timm.create_model(name, pretrained=False, **kw)


class OutOnly(nn.Module):
    """torchvision segmentation models return a dict; exporters want tensors."""

    def __init__(self, inner: nn.Module, key: str = "out"):
        super().__init__()
        self.inner, self.key = inner, key

    def forward(self, x):
        return self.inner(x)[self.key]


def conv_bn(i: int, o: int, s: int = 1, act: type[nn.Module] = nn.ReLU) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), act())


class UNet(nn.Module):
    """Classic U-Net: conv-conv per level, max-pool down, transposed-conv up, skip concat."""

    def __init__(self, c: int = 32, depth: int = 4, out: int = 1):
        super().__init__()
        chs = [c * 2**i for i in range(depth + 1)]
        self.down = nn.ModuleList([nn.Sequential(conv_bn(3 if i == 0 else chs[i - 1], chs[i]), conv_bn(chs[i], chs[i])) for i in range(depth)])
        self.mid = nn.Sequential(conv_bn(chs[depth - 1], chs[depth]), conv_bn(chs[depth], chs[depth]))
        self.up = nn.ModuleList([nn.ConvTranspose2d(chs[i + 1], chs[i], 2, 2) for i in reversed(range(depth))])
        self.dec = nn.ModuleList([nn.Sequential(conv_bn(chs[i] * 2, chs[i]), conv_bn(chs[i], chs[i])) for i in reversed(range(depth))])
        self.head = nn.Conv2d(chs[0], out, 1)

    def forward(self, x):
        skips = []
        for d in self.down:
            x = d(x)
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = self.mid(x)
        for up, dec, s in zip(self.up, self.dec, reversed(skips)):
            x = dec(torch.cat([up(x), s], 1))
        return torch.sigmoid(self.head(x))


class MODNetStyle(nn.Module):
    """MODNet-style trimap-free matting: MobileNetV2 encoder, semantic branch (SE + 1/16 prediction),
    detail branch at high resolution, fusion branch; bilinear resizes by scale factor."""

    def __init__(self, width: float = 1.0):
        super().__init__()
        import torchvision.models as m

        feats = m.mobilenet_v2(weights=None, width_mult=width).features
        self.enc2, self.enc4, self.enc32 = feats[:2], feats[2:4], feats[4:-1]
        c2 = self._ch(self.enc2)
        c4 = self._ch(self.enc4)
        c32 = self._ch(self.enc32)
        h = max(8, int(32 * width))
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c32, c32 // 4, 1), nn.ReLU(), nn.Conv2d(c32 // 4, c32, 1), nn.Sigmoid())
        self.lr = conv_bn(c32, h)
        self.lr_out = nn.Conv2d(h, 1, 1)
        self.hr_in = conv_bn(3 + c2, h)
        self.hr = nn.Sequential(conv_bn(h + c4, h), conv_bn(h, h))
        self.hr_up = nn.Sequential(conv_bn(h + h, h), conv_bn(h, h // 2))
        self.detail = nn.Conv2d(h // 2 + 3, 1, 3, 1, 1)
        self.fuse = nn.Sequential(conv_bn(h + 1 + 1, h // 2), nn.Conv2d(h // 2, 1, 1))

    @staticmethod
    def _ch(seq: nn.Module) -> int:
        return [m for m in seq.modules() if isinstance(m, nn.Conv2d)][-1].out_channels

    def forward(self, img):
        e2 = self.enc2(img)
        e4 = self.enc4(e2)
        e32 = self.enc32(e4)
        e32 = e32 * self.se(e32)
        lr8 = F.interpolate(self.lr(e32), scale_factor=4.0, mode="bilinear", align_corners=False)
        pred_semantic = torch.sigmoid(self.lr_out(lr8))
        img2 = F.interpolate(img, scale_factor=0.5, mode="bilinear", align_corners=False)
        hr2 = self.hr_in(torch.cat([img2, e2], 1))
        hr4 = self.hr(torch.cat([F.interpolate(hr2, scale_factor=0.5, mode="bilinear", align_corners=False), e4], 1))
        hr2 = self.hr_up(torch.cat([F.interpolate(hr4, scale_factor=2.0, mode="bilinear", align_corners=False), hr2], 1))
        hr = F.interpolate(hr2, scale_factor=2.0, mode="bilinear", align_corners=False)
        pred_detail = torch.sigmoid(self.detail(torch.cat([hr, img], 1)))
        lr2 = F.interpolate(lr8, scale_factor=4.0, mode="bilinear", align_corners=False)
        f = self.fuse(torch.cat([lr2, F.interpolate(pred_semantic, scale_factor=4.0, mode="bilinear", align_corners=False), F.interpolate(pred_detail, scale_factor=0.5, mode="bilinear", align_corners=False)], 1))
        matte = torch.sigmoid(F.interpolate(f, scale_factor=2.0, mode="bilinear", align_corners=False))
        return matte


class RVMStyle(nn.Module):
    """RVM-style matting without its recurrent state: MobileNetV3-Large encoder, LR-ASPP, a decoder
    that upsamples and concatenates the encoder features, outputs foreground residual and alpha."""

    def __init__(self, width: float = 1.0):
        super().__init__()
        import torchvision.models as m

        f = m.mobilenet_v3_large(weights=None, width_mult=width, dilated=True).features  # RVM: last stage dilated, /16
        self.s2, self.s4, self.s8, self.s16 = f[:2], f[2:4], f[4:7], f[7:]
        ch = [MODNetStyle._ch(s) for s in (self.s2, self.s4, self.s8, self.s16)]
        a = max(16, int(128 * width))
        self.aspp1 = conv_bn(ch[3], a)
        self.aspp2 = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(ch[3], a, 1), nn.Sigmoid())
        d = [max(8, int(c * width)) for c in (80, 40, 32, 16)]
        self.up8 = conv_bn(a + ch[2] + 3, d[0])
        self.up4 = conv_bn(d[0] + ch[1] + 3, d[1])
        self.up2 = conv_bn(d[1] + ch[0] + 3, d[2])
        self.up1 = conv_bn(d[2] + 3, d[3])
        self.proj = nn.Conv2d(d[3], 4, 1)

    def forward(self, src):
        f2 = self.s2(src)
        f4 = self.s4(f2)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        x = self.aspp1(f16) * self.aspp2(f16)
        s2 = F.avg_pool2d(src, 2)
        s4 = F.avg_pool2d(s2, 2)
        s8 = F.avg_pool2d(s4, 2)
        x = self.up8(torch.cat([F.interpolate(x, scale_factor=2.0, mode="bilinear"), f8, s8], 1))
        x = self.up4(torch.cat([F.interpolate(x, scale_factor=2.0, mode="bilinear"), f4, s4], 1))
        x = self.up2(torch.cat([F.interpolate(x, scale_factor=2.0, mode="bilinear"), f2, s2], 1))
        x = self.up1(torch.cat([F.interpolate(x, scale_factor=2.0, mode="bilinear"), src], 1))
        fgr_res, pha = self.proj(x).split([3, 1], dim=1)
        fgr = (fgr_res + src).clamp(0.0, 1.0)
        return fgr, pha.clamp(0.0, 1.0)


class PyNETStyle(nn.Module):
    """PyNET-style multi-scale bokeh/ISP net: an image pyramid processed coarse to fine, each level
    with multi-kernel conv blocks (3/5/7) and instance norm, upsampled with transposed convs."""

    def __init__(self, c: int = 32, levels: int = 4):
        super().__init__()
        self.levels = levels
        chs = [c * 2**i for i in range(levels)]
        self.enc = nn.ModuleList([nn.Sequential(nn.Conv2d(3 if i == 0 else chs[i - 1], chs[i], 3, 1, 1), nn.LeakyReLU(0.2)) for i in range(levels)])
        self.multi = nn.ModuleList([nn.ModuleList([nn.Conv2d(chs[i] * (1 if i == levels - 1 else 2), chs[i], k, 1, k // 2) for k in (3, 5, 7)]) for i in range(levels)])
        self.norm = nn.ModuleList([nn.InstanceNorm2d(chs[i] * 3, affine=True) for i in range(levels)])
        self.squeeze = nn.ModuleList([nn.Conv2d(chs[i] * 3, chs[i], 1) for i in range(levels)])
        self.up = nn.ModuleList([nn.ConvTranspose2d(chs[i], chs[i - 1], 2, 2) for i in range(1, levels)])
        self.outs = nn.ModuleList([nn.Conv2d(chs[i], 3, 3, 1, 1) for i in range(levels)])

    def forward(self, x):
        feats = []
        for i, e in enumerate(self.enc):
            x = e(x if i == 0 else F.max_pool2d(x, 2))
            feats.append(x)
        y = None
        outs = []
        for i in reversed(range(self.levels)):
            inp = feats[i] if y is None else torch.cat([feats[i], self.up[i](y)], 1)
            z = torch.cat([F.leaky_relu(cv(inp), 0.2) for cv in self.multi[i]], 1)
            y = F.leaky_relu(self.squeeze[i](self.norm[i](z)), 0.2)
            outs.append(torch.tanh(self.outs[i](y)) * 0.58 + 0.5)
        return outs[-1], outs[-2]  # full resolution and the half-resolution side output


class YOLOStyle(nn.Module):
    """YOLOv5/v8-style detector up to its heads: CSP backbone with SiLU, SPPF, PAN neck with
    nearest upsampling, three decoupled heads (box + class logits per level, no NMS)."""

    def __init__(self, w: int = 32, nc: int = 80):
        super().__init__()

        def cbs(i, o, s=1, k=3):
            return nn.Sequential(nn.Conv2d(i, o, k, s, k // 2, bias=False), nn.BatchNorm2d(o), nn.SiLU())

        class C2f(nn.Module):
            def __init__(s, i, o, n=1):
                super().__init__()
                s.cv1, s.cv2 = cbs(i, o, k=1), cbs(o + (o // 2) * n, o, k=1)
                s.m = nn.ModuleList([nn.Sequential(cbs(o // 2, o // 2), cbs(o // 2, o // 2)) for _ in range(n)])

            def forward(s, x):
                y = list(s.cv1(x).chunk(2, 1))
                for m in s.m:
                    y.append(y[-1] + m(y[-1]))
                return s.cv2(torch.cat(y, 1))

        class SPPF(nn.Module):
            def __init__(s, c):
                super().__init__()
                s.cv1, s.cv2 = cbs(c, c // 2, k=1), cbs(c * 2, c, k=1)

            def forward(s, x):
                x = s.cv1(x)
                y1 = F.max_pool2d(x, 5, 1, 2)
                y2 = F.max_pool2d(y1, 5, 1, 2)
                return s.cv2(torch.cat([x, y1, y2, F.max_pool2d(y2, 5, 1, 2)], 1))

        self.stem = nn.Sequential(cbs(3, w, 2), cbs(w, w * 2, 2), C2f(w * 2, w * 2))
        self.p3 = nn.Sequential(cbs(w * 2, w * 4, 2), C2f(w * 4, w * 4, 2))
        self.p4 = nn.Sequential(cbs(w * 4, w * 8, 2), C2f(w * 8, w * 8, 2))
        self.p5 = nn.Sequential(cbs(w * 8, w * 16, 2), C2f(w * 16, w * 16), SPPF(w * 16))
        self.n4 = C2f(w * 16 + w * 8, w * 8)
        self.n3 = C2f(w * 8 + w * 4, w * 4)
        self.d4 = nn.Sequential(cbs(w * 4, w * 4, 2))
        self.m4 = C2f(w * 4 + w * 8, w * 8)
        self.d5 = cbs(w * 8, w * 8, 2)
        self.m5 = C2f(w * 8 + w * 16, w * 16)
        self.box = nn.ModuleList([nn.Sequential(cbs(c, w * 2), nn.Conv2d(w * 2, 64, 1)) for c in (w * 4, w * 8, w * 16)])
        self.cls = nn.ModuleList([nn.Sequential(cbs(c, w * 2), nn.Conv2d(w * 2, nc, 1)) for c in (w * 4, w * 8, w * 16)])

    def forward(self, x):
        p3 = self.p3(self.stem(x))
        p4 = self.p4(p3)
        p5 = self.p5(p4)
        n4 = self.n4(torch.cat([F.interpolate(p5, scale_factor=2.0, mode="nearest"), p4], 1))
        n3 = self.n3(torch.cat([F.interpolate(n4, scale_factor=2.0, mode="nearest"), p3], 1))
        m4 = self.m4(torch.cat([self.d4(n3), n4], 1))
        m5 = self.m5(torch.cat([self.d5(m4), p5], 1))
        outs = []
        for i, f in enumerate((n3, m4, m5)):
            b, c = self.box[i](f), self.cls[i](f)
            outs.append(torch.cat([b, c], 1).flatten(2))
        return torch.cat(outs, 2)


def _tiny_vit(ci: bool):
    from torchvision.models.vision_transformer import VisionTransformer

    if ci:
        return VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64, num_classes=10)
    return _tv("vit_b_16")


def _convnext(ci: bool):
    from torchvision.models.convnext import CNBlockConfig, ConvNeXt

    if ci:  # convnext_tiny's blocks (7×7 depthwise, LayerNorm, MLP, layer scale), two narrow stages
        return ConvNeXt([CNBlockConfig(64, 128, 1), CNBlockConfig(128, None, 1)], num_classes=NC)
    return _tv("convnext_tiny")


def _deit(ci: bool):
    if ci:  # timm's Attention: qkv Linear → [B,N,3,H,D] → permute(2,0,3,1,4) → unbind
        return _timm("deit_tiny_patch16_224", img_size=32, patch_size=8, embed_dim=32, depth=1, num_heads=2, num_classes=NC)
    return _timm("deit_tiny_patch16_224")


def _swin(ci: bool):
    from torchvision.models.swin_transformer import SwinTransformer

    if ci:  # 4 windows: qkv [nW,N,3,H,D] → permute(2,0,3,1,4) → q, k, v (5 runs); block 2 shifted (mask ADD)
        return SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 1], num_heads=[2, 2], window_size=[4, 4], num_classes=NC)
    return _tv("swin_t")


NC = 16  # classes of the CI variants (a 1000-class head would dominate the file)

ARCHS: list[Arch] = [
    Arch("mobilenet_v2", "cnn", "torchvision.models.mobilenet_v2", lambda ci: _tv("mobilenet_v2", width_mult=0.35 if ci else 1.0, num_classes=NC if ci else 1000), (1, 3, 224, 224), (1, 3, 96, 96)),
    Arch("mobilenet_v3_small", "cnn", "torchvision.models.mobilenet_v3_small", lambda ci: _tv("mobilenet_v3_small", width_mult=0.25 if ci else 1.0, num_classes=NC if ci else 1000), (1, 3, 224, 224), (1, 3, 96, 96)),
    Arch("mobilenet_v3_large", "cnn", "torchvision.models.mobilenet_v3_large", lambda ci: _tv("mobilenet_v3_large"), (1, 3, 224, 224)),
    Arch("resnet18", "cnn", "torchvision.models.resnet18", lambda ci: _tv("resnet18"), (1, 3, 224, 224)),
    Arch("resnet50", "cnn", "torchvision.models.resnet50", lambda ci: _tv("resnet50"), (1, 3, 224, 224)),
    Arch("regnet_y_400mf", "cnn", "torchvision.models.regnet_y_400mf", lambda ci: _tv("regnet_y_400mf"), (1, 3, 224, 224)),
    Arch("regnet_x_400mf", "cnn", "torchvision.models.regnet_x_400mf", lambda ci: _tv("regnet_x_400mf"), (1, 3, 224, 224)),
    Arch("shufflenet_v2_x0_5", "cnn", "torchvision.models.shufflenet_v2_x0_5", lambda ci: _tv("shufflenet_v2_x0_5", num_classes=NC if ci else 1000), (1, 3, 224, 224), (1, 3, 64, 64)),
    Arch("mnasnet0_5", "cnn", "torchvision.models.mnasnet0_5", lambda ci: _tv("mnasnet0_5", num_classes=NC if ci else 1000), (1, 3, 224, 224)),
    Arch("efficientnet_b0", "cnn", "torchvision.models.efficientnet_b0", lambda ci: _tv("efficientnet_b0"), (1, 3, 224, 224)),
    Arch("squeezenet1_1", "cnn", "torchvision.models.squeezenet1_1", lambda ci: _tv("squeezenet1_1", num_classes=NC if ci else 1000), (1, 3, 224, 224), (1, 3, 64, 64)),
    Arch("googlenet", "cnn", "torchvision.models.googlenet", lambda ci: _tv("googlenet", aux_logits=False, init_weights=True), (1, 3, 224, 224)),
    Arch("densenet121", "cnn", "torchvision.models.densenet121", lambda ci: _tv("densenet121"), (1, 3, 224, 224)),
    Arch("convnext_tiny", "cnn", "torchvision.models.convnext_tiny (CI: two stages, widths 64 / 128)", _convnext, (1, 3, 224, 224), (1, 3, 64, 64)),
    Arch("efficientnet_lite0", "cnn", "timm tf_efficientnet_lite0", lambda ci: _timm("tf_efficientnet_lite0"), (1, 3, 224, 224)),
    Arch("ghostnet_100", "cnn", "timm ghostnet_100", lambda ci: _timm("ghostnet_100"), (1, 3, 224, 224)),
    Arch("mobilenetv4_conv_small", "cnn", "timm mobilenetv4_conv_small", lambda ci: _timm("mobilenetv4_conv_small"), (1, 3, 224, 224)),
    Arch("lraspp_mobilenet_v3_large", "segmentation", "torchvision.models.segmentation.lraspp_mobilenet_v3_large", lambda ci: OutOnly(_seg("lraspp_mobilenet_v3_large", num_classes=NC if ci else 21)), (1, 3, 512, 512)),
    Arch("deeplabv3_mobilenet_v3_large", "segmentation", "torchvision.models.segmentation.deeplabv3_mobilenet_v3_large", lambda ci: OutOnly(_seg("deeplabv3_mobilenet_v3_large", aux_loss=False)), (1, 3, 512, 512)),
    Arch("fcn_resnet50", "segmentation", "torchvision.models.segmentation.fcn_resnet50", lambda ci: OutOnly(_seg("fcn_resnet50", aux_loss=False)), (1, 3, 512, 512)),
    Arch("unet", "segmentation", "scripts/corpus/models.py UNet (Ronneberger et al. 2015)", lambda ci: UNet(c=4 if ci else 32), (1, 3, 256, 256), (1, 3, 64, 64)),
    Arch("modnet_style", "matting", "scripts/corpus/models.py MODNetStyle (MODNet, Ke et al. 2022)", lambda ci: MODNetStyle(width=0.35 if ci else 1.0), (1, 3, 512, 512), (1, 3, 64, 64)),
    Arch("rvm_style", "matting", "scripts/corpus/models.py RVMStyle (RVM, Lin et al. 2021, no recurrent state)", lambda ci: RVMStyle(width=0.25 if ci else 1.0), (1, 3, 512, 512), (1, 3, 64, 64)),
    Arch("pynet_style", "multiscale", "scripts/corpus/models.py PyNETStyle (PyNET, Ignatov et al. 2020)", lambda ci: PyNETStyle(c=4 if ci else 32), (1, 3, 256, 256), (1, 3, 64, 64)),
    Arch("yolo_style", "detector", "scripts/corpus/models.py YOLOStyle (YOLOv8-style CSP/PAN, heads without NMS)", lambda ci: YOLOStyle(w=4 if ci else 32, nc=NC if ci else 80), (1, 3, 320, 320), (1, 3, 64, 64)),
    Arch("vit", "attention", "torchvision.models.VisionTransformer (vit_b_16; CI: 2 layers, hidden 32)", _tiny_vit, (1, 3, 224, 224), (1, 3, 32, 32)),
    Arch("deit_tiny", "attention", "timm deit_tiny_patch16_224 (CI: 32×32, patch 8, 1 block, width 32)", _deit, (1, 3, 224, 224), (1, 3, 32, 32)),
    Arch("swin_t", "attention", "torchvision.models.swin_t (CI: 32×32, window 4, stages of 2 and 1 blocks)", _swin, (1, 3, 224, 224), (1, 3, 32, 32)),
    Arch("mobilevit_xxs", "attention", "timm mobilevit_xxs", lambda ci: _timm("mobilevit_xxs"), (1, 3, 256, 256)),
    Arch("efficientformer_l1", "attention", "timm efficientformer_l1", lambda ci: _timm("efficientformer_l1"), (1, 3, 224, 224)),
    Arch("efficientformerv2_s0", "attention", "timm efficientformerv2_s0", lambda ci: _timm("efficientformerv2_s0"), (1, 3, 224, 224)),
]


def build(arch: Arch, ci: bool) -> nn.Module:
    torch.manual_seed(0)
    m = arch.build(ci)
    m.eval()
    # random BN statistics, so the folded scales are not all 1 (as trained models' are not)
    g = torch.Generator().manual_seed(1)
    # zero-initialised weights (torchvision ViT's head, some residual branches) would make outputs constant
    with torch.no_grad():
        for p in m.parameters():
            if p.dim() > 1 and not p.any():
                p.copy_(torch.randn(p.shape, generator=g) * 0.02)
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d) and mod.running_mean is not None:
            mod.running_mean.copy_(torch.randn(mod.running_mean.shape, generator=g) * 0.1)
            mod.running_var.copy_(torch.rand(mod.running_var.shape, generator=g) * 0.5 + 0.75)
    return m
