"""The difference-in-differences estimator on generated panels with a known effect: it
recovers the effect, its 95 % interval covers it about 95 % of the time, the randomisation
test rejects a true null about 5 % of the time, and it agrees with statsmodels."""

import math

import numpy as np
import pytest

from evidence import estimator

SEEDS = 400


def panel(rng, *, treated=8, comparison=10, pre=12, post=12, effect=0.0, rho=0.7):
    """Workgroup-week panels: group levels, common week shocks, AR(1) noise within each group
    (the serial correlation that fools a naive regression), and `effect` added to the pilot
    groups after the start. Returns (pre, post) blocks for each side."""
    groups, weeks = treated + comparison, pre + post
    level = rng.normal(50, 8, size=(groups, 1))
    shocks = rng.normal(0, 2, size=(1, weeks))
    noise = np.zeros((groups, weeks))
    noise[:, 0] = rng.normal(0, 3, size=groups)
    for w in range(1, weeks):
        noise[:, w] = rho * noise[:, w - 1] + rng.normal(0, 3 * math.sqrt(1 - rho**2), groups)
    values = level + shocks + noise
    values[:treated, pre:] += effect
    return (
        values[:treated, :pre],
        values[:treated, pre:],
        values[treated:, :pre],
        values[treated:, pre:],
    )


def changes(rng, **kwargs):
    pre_t, post_t, pre_c, post_c = panel(rng, **kwargs)
    return estimator.group_changes(pre_t, post_t), estimator.group_changes(pre_c, post_c)


def test_the_estimate_recovers_a_known_effect():
    estimates = []
    for seed in range(100):
        t, c = changes(np.random.default_rng(seed), effect=4.0)
        estimates.append(estimator.estimate(t, c, seed=seed).estimate)
    assert np.mean(estimates) == pytest.approx(4.0, abs=0.25)


def test_the_95_percent_interval_covers_the_true_effect_about_95_percent_of_the_time():
    covered = 0
    for seed in range(SEEDS):
        t, c = changes(np.random.default_rng(1000 + seed), effect=2.5)
        low, high = estimator.welch(t, c)[1:3]
        covered += low <= 2.5 <= high
    assert 0.91 <= covered / SEEDS <= 0.99


def test_with_no_effect_the_randomisation_test_rejects_about_5_percent_of_the_time():
    rejected = 0
    for seed in range(SEEDS):
        t, c = changes(np.random.default_rng(5000 + seed), treated=6, comparison=6)
        rejected += estimator.randomisation_p(t, c, seed=seed)[0] < 0.05
    assert 0.02 <= rejected / SEEDS <= 0.085


def test_with_a_large_effect_the_randomisation_test_rejects_nearly_always():
    rejected = sum(
        estimator.estimate(*changes(np.random.default_rng(seed), effect=8.0), seed=seed).p_value
        < 0.05
        for seed in range(50)
    )
    assert rejected >= 45


def test_a_naive_workgroup_week_interval_is_overconfident_where_the_collapsed_one_is_not():
    """Why we collapse: treating each group-week as independent covers far less than 95 %."""
    from scipy import stats

    naive = 0
    for seed in range(200):
        pre_t, post_t, pre_c, post_c = panel(np.random.default_rng(9000 + seed), effect=2.5)
        a, b = (
            post_t - pre_t.mean(axis=1, keepdims=True),
            post_c - pre_c.mean(axis=1, keepdims=True),
        )
        result = stats.ttest_ind(a.ravel(), b.ravel(), equal_var=False)
        low, high = result.confidence_interval(0.95)
        naive += low <= 2.5 <= high
    assert naive / 200 < 0.85


def test_exact_enumeration_is_used_when_there_are_few_relabellings():
    t, c = np.array([5.0, 6.0, 7.0]), np.array([1.0, 2.0, 3.0])
    p, method, count = estimator.randomisation_p(t, c, seed=0)
    assert (method, count) == ("exact", math.comb(6, 3))
    # The observed split and its mirror image are the two most extreme of 20.
    assert p == pytest.approx(2 / 20)


def test_many_relabellings_are_drawn_with_a_fixed_seed():
    rng = np.random.default_rng(3)
    t, c = rng.normal(1, 1, 30), rng.normal(0, 1, 30)
    first = estimator.randomisation_p(t, c, seed=11)
    assert first[1:] == ("random", estimator.DRAWS)
    assert estimator.randomisation_p(t, c, seed=11) == first
    assert 1 / (estimator.DRAWS + 1) <= first[0] <= 1


def test_identical_changes_on_each_side_give_a_zero_width_interval_not_an_error():
    result = estimator.estimate(np.array([2.0, 2.0, 2.0]), np.array([1.0, 1.0, 1.0]))
    assert (result.estimate, result.ci_low, result.ci_high) == (1.0, 1.0, 1.0)
    assert result.p_value == pytest.approx(2 / 20)


def test_the_welch_interval_matches_statsmodels_ols_with_hc2_errors():
    import statsmodels.api as sm

    rng = np.random.default_rng(21)
    t, c = rng.normal(3, 2, 7), rng.normal(0, 5, 11)
    ours = estimator.estimate(t, c, seed=1)
    design = sm.add_constant(np.r_[np.ones(7), np.zeros(11)])
    fit = sm.OLS(np.r_[t, c], design).fit(cov_type="HC2")
    assert ours.estimate == pytest.approx(fit.params[1])
    assert ours.se == pytest.approx(fit.bse[1])


def test_the_estimate_equals_the_two_way_fixed_effects_regression_on_a_balanced_panel():
    """statsmodels as an oracle: group and week fixed effects, treated × after, errors
    clustered by group. Same point estimate; the clustered interval is of the same width."""
    import statsmodels.api as sm

    rng = np.random.default_rng(8)
    pre_t, post_t, pre_c, post_c = panel(rng, treated=6, comparison=8, pre=10, post=6, effect=3)
    values = np.vstack([np.hstack([pre_t, post_t]), np.hstack([pre_c, post_c])])
    groups, weeks = values.shape
    g, w = np.repeat(np.arange(groups), weeks), np.tile(np.arange(weeks), groups)
    treated_after = ((g < 6) & (w >= 10)).astype(float)
    design = np.column_stack([treated_after, np.eye(groups)[g], np.eye(weeks)[w][:, 1:]])
    fit = sm.OLS(values.ravel(), design).fit(cov_type="cluster", cov_kwds={"groups": g})
    ours = estimator.estimate(
        estimator.group_changes(pre_t, post_t), estimator.group_changes(pre_c, post_c)
    )
    assert ours.estimate == pytest.approx(fit.params[0])
    assert ours.se == pytest.approx(fit.bse[0], rel=0.5)


def test_the_event_study_is_zero_in_the_reference_week_and_shows_the_effect_after():
    rng = np.random.default_rng(4)
    pre_t, post_t, pre_c, post_c = panel(rng, treated=10, comparison=10, effect=6.0, rho=0.2)
    weeks = estimator.event_study(
        np.hstack([pre_t, post_t]), np.hstack([pre_c, post_c]), reference=11, first=-12
    )
    reference = next(w for w in weeks if w.index == -1)
    assert (reference.gap, reference.low, reference.high) == (0.0, 0.0, 0.0)
    after = [w.gap for w in weeks if w.index >= 0]
    assert np.mean(after) == pytest.approx(6.0, abs=2.0)
    assert all(w.low <= w.gap <= w.high for w in weeks)
