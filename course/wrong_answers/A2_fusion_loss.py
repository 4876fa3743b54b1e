"""Wrong answers to A2_fusion_loss that must lose points under `nbgrader autograde` (`timfusion course check` runs them).
Format: see A1_metrics.py and course/README.md."""

WRONG = {
    'calls the library': dict(edits=[
        ('a2_saliency', 'saliency', 'return timfusion.losses.saliency_map(x)'),
        ('a2_weights', 'weights', 'return timfusion.losses.saliency_weights(a, b)'),
        ('a2_weights', 'saliency_loss', 'return timfusion.losses.saliency_intensity_loss(fused, a, b)')],
        lose=['a2_test_saliency', 'a2_test_weights', 'a2_test_loss', 'a2_test_optimum']),
    # saliency weights normalised by their sum instead of the paper's softmax
    'ratio weights instead of the softmax': dict(edits=[('a2_weights', 'weights', """\
sa, sb = saliency(a), saliency(b)
return sa / (sa + sb), sb / (sa + sb)""")],
        lose=['a2_test_weights', 'a2_test_loss', 'a2_test_optimum']),
    # ‖·‖² as a sum over pixels instead of the papers' mean
    'summed instead of mean squares': dict(edits=[('a2_weights', 'saliency_loss', """\
ma, mb = weights(a, b)
return (ma * (fused - a)).square().sum() + (mb * (fused - b)).square().sum()""")],
        lose=['a2_test_loss']),
    # the minimiser weighted by M instead of M² (the weights are squared inside the loss)
    'minimiser weighted by M, not M squared': dict(edits=[('a2_optimum', 'optimal_fusion', """\
ma, mb = weights(a, b)
return ma * a + mb * b""")],
        lose=['a2_test_optimum']),
}
