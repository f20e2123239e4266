"""The errors the recorder reports to a user: each names the problem and the fix."""


class SimError(Exception):
    """Base class: the command line prints the message and exits non-zero."""

    exit_code = 2


class ConfigError(SimError):
    """A lesson file has a missing, mistyped or out-of-range value."""

    def __init__(self, source: str, field: str, problem: str, fix: str):
        self.source, self.field, self.problem, self.fix = source, field, problem, fix
        super().__init__(f"{source}: {field} {problem}. Fix: {fix}.")


class TraceError(SimError):
    """A trace on disk is missing, from another schema, tampered with or unsafe to load."""


class DivergenceError(SimError):
    """Training produced NaN or infinity."""

    exit_code = 3

    def __init__(self, trace: str, epoch: int, quantity: str, value: float,
                 field: str, learning_rate: float, bound: float | None, bound_kind: str):
        self.trace, self.epoch, self.bound = trace, epoch, bound
        if bound is None:
            hint = f"lower {field}"
        else:
            hint = (f"for this data gradient descent is stable only for learning_rate < {bound:.4g} "
                    f"({bound_kind}); set {field} below that")
        super().__init__(
            f"{trace}: the {quantity} became {value} at epoch {epoch} (after {epoch} updates) "
            f"with {field} = {learning_rate:g}. Nothing was written. Fix: {hint}, and check the data "
            f"for NaN or huge values.")
