"""The high-level (paddle.Model.fit) trace and its save/load results."""
from __future__ import annotations

import numpy as np
import pytest

ARRAYS = ("epoch", "w", "b", "loss", "grad_w", "grad_b")


def test_fit_matches_the_low_level_loop(load):
    """With one batch of all ten points, fit takes the same steps as the hand-written loop
    (up to float32 summation order inside the shuffled batch)."""
    fit, loop = load("linreg_fit"), load("linreg_layer")
    assert fit["w"].shape == loop["w"].shape == (501,)
    np.testing.assert_array_equal(fit["epoch"], loop["epoch"])
    assert fit["w"][0] == loop["w"][0] and fit["b"][0] == loop["b"][0]  # same seed, same init
    for key in ARRAYS[1:]:
        scale = np.abs(loop[key]).max()
        np.testing.assert_allclose(fit[key], loop[key], rtol=1e-4, atol=1e-6 * scale, err_msg=key)


def test_hooked_gradients_are_the_loss_gradients(load):
    t = load("linreg_fit")
    r = t["w"][:, None] * t["x"] + t["b"][:, None] - t["y"]
    np.testing.assert_allclose(t["grad_w"], np.mean(2 * r * t["x"], axis=1), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(t["grad_b"], np.mean(2 * r, axis=1), rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(t["loss"], np.mean(r ** 2, axis=1), rtol=1e-5)


def test_models_loaded_back_from_disk_predict_the_trained_line(load, lesson):
    t = load("linreg_fit")
    res = t.results
    w, b = t["w"][-1], t["b"][-1]
    assert res["final"] == {"w": w, "b": b, "loss": t["loss"][-1]}
    assert res["state_dict"] == {"linear.weight": {"shape": [1, 1], "values": [w]},
                                 "linear.bias": {"shape": [1], "values": [b]}}
    x = lesson.linreg.predict_x
    for how, value in res["prediction"].items():
        assert value == pytest.approx(w * x + b, rel=1e-6), how
    ex, ey = lesson.linreg.evaluate_point
    assert res["evaluate"]["mse"] == pytest.approx((w * ex + b - ey) ** 2, rel=1e-3, abs=1e-4)
    assert res["checkpoint_loaded"] == {"epoch": 500, "loss": pytest.approx(t["loss"][-1], rel=1e-6)}


def test_saved_files_are_listed_with_their_sizes(load, lesson):
    files = load("linreg_fit").results["files"]
    names = {f["name"] for group in ("basic_api", "high_level_api") for f in files[group]}
    assert {"basic_api/model.safetensors", "basic_api/final_checkpoint.safetensors",
            "high_level_api/model.pdparams",
            "high_level_api/infer_model.json", "high_level_api/infer_model.pdiparams"} <= names
    assert not any(n.endswith(".pdmodel") for n in names)  # Paddle 3's inference format
    assert all(f["bytes"] > 0 for group in ("basic_api", "high_level_api") for f in files[group])
    ckpt = files["fit_checkpoints"]
    epochs, freq = lesson.linreg.epochs, lesson.linreg.save_freq
    assert ckpt["count"] == len(range(0, epochs, freq)) + 1  # 0, 10, ..., 490 and "final"
    assert [f["name"] for f in ckpt["final"]] == ["fit_checkpoints/final.pdparams"]
    assert ckpt["total_bytes"] >= ckpt["count"] * ckpt["first"]["bytes"] * 0.9


def test_summary_figures(load):
    summary = load("linreg_fit").results["summary"]
    assert summary["total_params"] == summary["trainable_params"] == 2  # one weight, one bias
    assert any("Linear" in row and row.split()[-1] == "2" for row in summary["table"])
    assert "Total params: 2" in summary["table"]


def test_metric_note_explains_mse(load):
    assert "Accuracy" in load("linreg_fit").results["evaluate"]["note"]


def test_fit_stops_on_divergence_with_the_epoch(lesson):
    import dataclasses

    from sim.errors import DivergenceError
    from sim.linreg_fit import fit_and_save

    cfg = dataclasses.replace(lesson.linreg, learning_rate=2.0, epochs=300)
    with pytest.raises(DivergenceError, match=r"linreg_fit: the .* became (inf|nan) at epoch \d+") as err:
        fit_and_save(cfg, "linreg_fit")
    assert 0 < err.value.epoch <= 300 and err.value.bound == pytest.approx(0.677, abs=5e-4)
