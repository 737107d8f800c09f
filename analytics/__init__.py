"""Numbers: statistics, suppression, periods (pure), and later aggregation, reports and exports.

The names below import no pandas, so ``import analytics`` stays fast for the CLI.
"""

from analytics.definitions import INTERVAL_METHOD, METHOD_VERSION, interval_method
from analytics.periods import Period, PeriodError, local_date, parse_period, periods_between
from analytics.stats import (
    Change,
    Distribution,
    GoalStatus,
    NpsResult,
    Share,
    difference_interval,
    goal_status,
    mean_and_distribution,
    nps,
    share_of,
    wilson_interval,
)
from analytics.suppression import (
    DEFAULT_MIN_CELL_SIZE,
    SUPPRESSION_RULE,
    Cell,
    SuppressedCell,
    breakdown_withheld,
    suppress,
    suppression_rule,
)

__all__ = [
    "DEFAULT_MIN_CELL_SIZE",
    "INTERVAL_METHOD",
    "METHOD_VERSION",
    "SUPPRESSION_RULE",
    "Cell",
    "Change",
    "Distribution",
    "GoalStatus",
    "NpsResult",
    "Period",
    "PeriodError",
    "Share",
    "SuppressedCell",
    "breakdown_withheld",
    "difference_interval",
    "goal_status",
    "interval_method",
    "local_date",
    "mean_and_distribution",
    "nps",
    "parse_period",
    "periods_between",
    "share_of",
    "suppress",
    "suppression_rule",
    "wilson_interval",
]
