#!/usr/bin/python3
"""Writes the torch.save fixtures of org.mixbt.core.pytorch's tests (run from this folder).

Needs Debian's python3-torch / python3-torchvision (1.13 / 0.14 when these were made):
    apt-get install -y python3-torch python3-torchvision && /usr/bin/python3 make_pth_fixtures.py

Files:
- resnet18_cifar_w8.pth: state_dict of the original small-data Model (mix-bt model.py: encoder `f` = torchvision
  ResNet-18 children with conv1 3x3 stride 1, no max-pool (CIFAR), fc dropped; projector `g` =
  Linear(no bias)-BN1d-ReLU-Linear(bias)) at base width 8, projector 64 -> 32 -> 16. BN parameters and running
  statistics are randomised so that they matter. Zip format (torch.save's default).
- resnet18_cifar_w8_expected.pth: fixed inputs and PyTorch's outputs: eval mode (`feature` = pooled encoder
  output, `embedding` = F.normalize(g(feature))), and train mode (batch statistics, one forward per view as
  the original does) for two views.
- tensor_views.pth: tensors sharing one storage (transposed, sliced with an offset) beside contiguous copies,
  and the other dtypes (float64, float16, bfloat16, int64).
- wrapped.pth: a state_dict inside {'epoch', 'state_dict', 'optimizer'} with DistributedDataParallel's
  'module.' prefix (how training checkpoints usually look).
- legacy.pth: tensor_views' base tensor saved in the pre-1.6 format (_use_new_zipfile_serialization=False).
- evil_os_system.pth / evil_eval.pth: torch.save zips whose pickle calls os.system / builtins.eval.
- variant_<depth>_<stem>.pth, one per network variant (resnet18 / resnet50 x cifar / stl / imagenet) at base
  width 2, each as the original code saves that variant:
  cifar, stl: mix-bt's small-data Model (model.py; `f.<i>` / `g.<i>`; CIFAR drops the max-pool from f, STL keeps
  it, which shifts f's indices), projector Linear(no bias)-BN-ReLU-Linear(bias), 2w*8*expansion -> 16 -> 8.
  imagenet, resnet50: mix-bt's main_imagenet.py training checkpoint {'epoch', 'model', 'optimizer'}, the model
  wrapped in DistributedDataParallel (`module.backbone.<torchvision name>`, `module.projector.<i>`, fc =
  Identity, no loss BN), projector 2w*32 -> 16 -> 16 -> 8 with no output bias.
  imagenet, resnet18: facebookresearch/barlowtwins' BarlowTwins module state_dict (`backbone.`, `projector.`,
  and `bn.*`, the loss's affine-free BatchNorm1d buffers), projector as above.
  BN affine parameters are random and running statistics averaged over calibration batches (momentum=None), so
  eval mode sees realistic statistics.
- variant_inputs.pth: float32 inputs `input`, `input2` [4, 3, 24, 24] for every variant.
- variant_<depth>_<stem>_expected.pth: the outputs on them computed in float64 from the float32 weights: eval mode
  on `input` (`feature` = pooled encoder output, `embedding` = projector output,
  L2-normalised for the small-data head) and train mode (one forward per view, batch statistics:
  on `input` and on `input2`: `train_embedding1`, `train_embedding2`), plus PyTorch's own float32 train-mode
  outputs (`float32_train_embedding1/2`) to show how far float32 rounding alone moves them.
"""
import copy
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet


class NarrowResNet(ResNet):
    """torchvision's ResNet with base width w instead of 64 (same module names, same blocks)."""

    def __init__(self, block, layers, width):
        super().__init__(block, layers)
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, 2 * width, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 4 * width, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 8 * width, layers[3], stride=2)
        self.fc = nn.Linear(8 * width * block.expansion, 10)


class OriginalModel(nn.Module):
    """mix-bt's model.py Model, at any width: the same children order and Sequential indices."""

    def __init__(self, block, layers, width, dataset, hidden, feature_dim):
        super().__init__()
        f = []
        for name, module in NarrowResNet(block, layers, width).named_children():
            if name == 'conv1':
                module = nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
            if isinstance(module, nn.Linear):
                continue
            if dataset in ('cifar10', 'cifar100') and isinstance(module, nn.MaxPool2d):
                continue
            f.append(module)
        self.f = nn.Sequential(*f)
        embedding = 8 * width * block.expansion
        self.g = nn.Sequential(nn.Linear(embedding, hidden, bias=False), nn.BatchNorm1d(hidden),
                               nn.ReLU(inplace=True), nn.Linear(hidden, feature_dim, bias=True))

    def forward(self, x):
        feature = torch.flatten(self.f(x), start_dim=1)
        return feature, F.normalize(self.g(feature), dim=-1)


def randomise_batch_norms(model, generator):
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            c = m.num_features
            m.weight.data = 0.5 + torch.rand(c, generator=generator)
            m.bias.data = 0.2 * torch.randn(c, generator=generator)
            m.running_mean.data = 0.1 * torch.randn(c, generator=generator)
            m.running_var.data = 0.5 + torch.rand(c, generator=generator)
            m.num_batches_tracked.fill_(17)


def network_fixture(name, block, layers, width, dataset, size, hidden=32, feature_dim=16, batch=4):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    model = OriginalModel(block, layers, width, dataset, hidden, feature_dim)
    randomise_batch_norms(model, g)
    torch.save(model.state_dict(), name + '.pth')
    x = torch.randn(batch, 3, size, size, generator=g)
    x2 = torch.randn(batch, 3, size, size, generator=g)
    model.eval()
    with torch.no_grad():
        feature, embedding = model(x)
    train = copy.deepcopy(model).train()
    with torch.no_grad():
        _, train1 = train(x)
        _, train2 = train(x2)
    torch.save({'input': x, 'feature': feature, 'embedding': embedding,
                'train_input2': x2, 'train_embedding1': train1, 'train_embedding2': train2},
               name + '_expected.pth')


class Evil:
    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def __reduce__(self):
        return self.fn, (self.arg,)


ARCHS = {'resnet18': (BasicBlock, [2, 2, 2, 2]), 'resnet50': (Bottleneck, [3, 4, 6, 3])}
VARIANT_WIDTH, VARIANT_HIDDEN, VARIANT_D, VARIANT_SIDE, VARIANT_BATCH = 2, 16, 8, 24, 4


class ImageNetModel(nn.Module):
    """mix-bt's main_imagenet.py / Barlow Twins' main.py BarlowTwins module at any width (loss_bn: Barlow Twins'
    affine-free BatchNorm1d on the projector output, which mix-bt comments out)."""

    def __init__(self, block, layers, width, hidden, feature_dim, loss_bn):
        super().__init__()
        self.backbone = NarrowResNet(block, layers, width)
        self.backbone.fc = nn.Identity()
        sizes = [8 * width * block.expansion] + hidden + [feature_dim]
        modules = []
        for i in range(len(sizes) - 2):
            modules += [nn.Linear(sizes[i], sizes[i + 1], bias=False), nn.BatchNorm1d(sizes[i + 1]),
                        nn.ReLU(inplace=True)]
        modules.append(nn.Linear(sizes[-2], sizes[-1], bias=False))
        self.projector = nn.Sequential(*modules)
        if loss_bn:
            self.bn = nn.BatchNorm1d(feature_dim, affine=False)

    def forward(self, x):
        feature = self.backbone(x)
        return feature, self.projector(feature)


def calibrate_batch_norms(model, generator, size):
    """Random BN affine parameters; running statistics averaged over three random batches (momentum=None)."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            if m.affine:
                m.weight.data = 0.5 + torch.rand(m.num_features, generator=generator)
                m.bias.data = 0.2 * torch.randn(m.num_features, generator=generator)
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(3):
            x = 1.2 * torch.randn(8, 3, size, size, generator=generator) + 0.1
            feature = model(x)[0]
            if hasattr(model, 'bn'):
                model.bn(model.projector(feature))
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.momentum = 0.1


def variant_fixture(depth, stem, x, x2):
    name = 'variant_%s_%s' % (depth, stem)
    block, layers = ARCHS[depth]
    torch.manual_seed(10 * list(ARCHS).index(depth) + ('cifar', 'stl', 'imagenet').index(stem))
    g = torch.Generator().manual_seed(2312)
    if stem == 'imagenet':
        model = ImageNetModel(block, layers, VARIANT_WIDTH, [VARIANT_HIDDEN, VARIANT_HIDDEN], VARIANT_D,
                              loss_bn=(depth == 'resnet18'))
    else:
        model = OriginalModel(block, layers, VARIANT_WIDTH, {'cifar': 'cifar10', 'stl': 'stl10'}[stem],
                              VARIANT_HIDDEN, VARIANT_D)
    calibrate_batch_norms(model, g, VARIANT_SIDE)
    state = model.state_dict()
    if stem == 'imagenet' and depth == 'resnet50':
        # main_imagenet.py: dict(epoch, model=DDP(model).state_dict(), optimizer=LARS state_dict)
        state = {'epoch': 100, 'model': {'module.' + k: v for k, v in state.items()},
                 'optimizer': {'state': {}, 'param_groups': [
                     {'lr': 0.2, 'weight_decay': 1.5e-6, 'momentum': 0.9, 'eta': 0.001,
                      'weight_decay_filter': True, 'lars_adaptation_filter': True, 'params': [0, 1]}]}}
    torch.save(state, name + '.pth')
    # References in float64 from the float32 weights and inputs (exact up to float64 rounding).
    exact = copy.deepcopy(model).double()
    small = stem != 'imagenet'
    with torch.no_grad():   # OriginalModel's output is L2-normalised, ImageNetModel's raw
        exact.eval()
        feature, embedding = exact(x.double())
        exact.train()
        train1 = exact(x.double())[1]
        train2 = exact(x2.double())[1]
    # PyTorch's own float32 train-mode outputs: at width 2 the last stages' BatchNorms see 4 values per channel,
    # and float32 rounding alone moves the result up to ~1e-3 (ResNet-50, ImageNet stem); the test bounds ours by it.
    with torch.no_grad():
        rounded = copy.deepcopy(model).train()
        float1, float2 = rounded(x)[1], rounded(x2)[1]
    torch.save({'feature': feature, 'embedding': embedding,
                'train_embedding1': train1, 'train_embedding2': train2,
                'float32_train_embedding1': float1, 'float32_train_embedding2': float2}, name + '_expected.pth')
    print(name, 'parameters', sum(p.numel() for p in model.parameters()), 'bytes', os.path.getsize(name + '.pth'))


def main():
    network_fixture('resnet18_cifar_w8', BasicBlock, [2, 2, 2, 2], 8, 'cifar10', 32)
    g = torch.Generator().manual_seed(2024)
    x = torch.randn(VARIANT_BATCH, 3, VARIANT_SIDE, VARIANT_SIDE, generator=g)
    x2 = torch.randn(VARIANT_BATCH, 3, VARIANT_SIDE, VARIANT_SIDE, generator=g)
    torch.save({'input': x, 'input2': x2}, 'variant_inputs.pth')
    for depth in ARCHS:
        for stem in ('cifar', 'stl', 'imagenet'):
            variant_fixture(depth, stem, x, x2)

    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8 - 1
    views = {'base': base, 't': base.t(), 'slice': base[1:3, 2:5], 'column': base[:, 3]}
    views.update({k + '_copy': v.contiguous().clone() for k, v in list(views.items())})
    views.update({'double': base.double() / 3, 'half': base.half(), 'bfloat16': base.bfloat16(),
                  'long': torch.arange(5) * 1000000007, 'scalar': torch.tensor(2.5)})
    torch.save(views, 'tensor_views.pth')

    state = {'module.weight': base.clone(), 'module.bias': torch.ones(4)}
    torch.save({'epoch': 3, 'state_dict': state,
                'optimizer': {'state': {0: {'step': 3, 'exp_avg': torch.zeros(4)}},
                              'param_groups': [{'lr': 0.01, 'betas': (0.9, 0.999), 'params': [0, 1]}]}},
               'wrapped.pth')
    torch.save({'base': base}, 'legacy.pth', _use_new_zipfile_serialization=False)

    torch.save({'weight': base, 'payload': Evil(os.system, 'echo pwned')}, 'evil_os_system.pth')
    torch.save({'weight': base, 'payload': Evil(eval, '1+1')}, 'evil_eval.pth')


if __name__ == '__main__':
    main()
