"""A literate, reproducible companion to TIM (task-guided image fusion) and PAIF (perception-aware fusion)

Modules:

- `timfusion.optimize`: `optimize_for_inference(module)`: the same outputs, fewer memory passes. BatchNorm and 1×1 convolutions folded into convolutions, activations fused into oneDNN convolutions, TIM's channel attention folded into its conv weights, Winograd dense 3×3 convolutions (NNPACK) or a channels-last layout; optional `torch.compile`; eager fallback with a warning whenever anything does not fit."""

__version__ = "0.1.0"
