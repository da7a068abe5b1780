"""The statutory periods the lifecycle enforces, in calendar days.

Source: 柳办〔2019〕90号, 四、(二)3 and 4. Periods count from the day after
the starting event (a request on the 4th with 3 days is due on the 7th; acting
on the 7th is on time). Holidays do not extend a period here: the module has
no calendar, and a day more or less only moves an audit flag.
"""

from __future__ import annotations

from typing import Final

CORRECTION_WINDOW_DAYS: Final = 10
"""The debtor may apply for correction within 10 days of the inclusion decision (四、(二)3)."""

CORRECTION_DECISION_DAYS: Final = 3
"""The court that included the debtor decides a correction within 3 days (四、(二)3)."""

REVIEW_DECISION_DAYS: Final = 3
"""Deadline assumed for the higher court's review (复议) decision.

The seed grants the review but sets no period for it; we apply the lower
court's 3 days by analogy so that a slow review shows up in the audit.
Change it here if the governing rule says otherwise.
"""

SHIELD_DAYS: Final = 3
"""After full performance, settlement or termination the court shields or revokes
within 3 days (四、(二)4)."""
