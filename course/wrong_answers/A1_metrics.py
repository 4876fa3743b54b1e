"""Wrong answers to A1_metrics that must lose points under `nbgrader autograde` (`timfusion course check` runs them).

WRONG maps a description to dict(edits=[(solution cell grade_id, function, new body), ...], lose=[test cells that must
lose points]); the file is read with `ast.literal_eval`, never executed (see course/README.md)."""

WRONG = {
    # delegation: the library's own EN, MI and Q^AB/F (switched off while the test cells run)
    'calls the library': dict(edits=[
        ('a1_entropy', 'entropy', 'return float(timfusion.metrics.EN(F, F, F))'),
        ('a1_mi', 'mi_pair', 'return timfusion.metrics.MI(X, X, F) / 2'),
        ('a1_mi', 'mutual_information', 'return timfusion.metrics.MI(A, B, F)'),
        ('a1_qabf', 'qabf', 'return timfusion.metrics.Qabf(A, B, F)')],
        lose=['a1_test_entropy', 'a1_test_mi', 'a1_test_qabf']),
    # MI without the reference code's uint8 joint-histogram quirk: ~1 % off on TNO; passes every visible test
    'MI without the uint8 quirk': dict(edits=[('a1_mi', 'mi_pair', """\
X = np.asarray(X, dtype=np.uint8).ravel().astype(np.int64)
F = np.asarray(F, dtype=np.uint8).ravel().astype(np.int64)
H = lambda c: float(-(c[c > 0] / X.size * np.log2(c[c > 0] / X.size)).sum())
return H(np.bincount(X, minlength=256)) + H(np.bincount(F, minlength=256)) - H(np.bincount(X * 256 + F, minlength=65536))""")],
        lose=['a1_test_mi']),
    # a correlation instead of MATLAB's convolution: both Sobel responses change sign (Q^AB/F does not notice)
    'correlation instead of convolution': dict(edits=[('a1_sobel', 'conv2_same', """\
X = np.asarray(X, dtype=np.float64); M, N = X.shape
P = np.pad(X, 1)
out = np.zeros((M, N))
for i in range(3):
    for j in range(3): out += K[i, j] * P[i:i + M, j:j + N]
return out""")],
        lose=['a1_test_sobel']),
    # G = 1 where the strengths are equal, the textbook rule instead of the reference code's g_F
    'G = 1 where the strengths are equal': dict(edits=[('a1_qabf', 'edge_preservation', """\
G = np.where(gX > gF, gF / np.where(gX > gF, gX, 1.0), np.where(gX == gF, 1.0, gX / np.where(gX < gF, gF, 1.0)))
An = 1 - np.abs(aX - aF) / (np.pi / 2)
return 0.9994 / (1 + np.exp(-15 * (G - 0.5))) * (0.9879 / (1 + np.exp(-22 * (An - 0.8))))""")],
        lose=['a1_test_qabf']),
}
