"""Environmental permits and discharges: permits per site, their outlets and limits, the
rare-earth discharge standard GB 26451-2011 as cited data, monitoring results judged against
the limits, exceedances with their cause and correction, expiry warnings, and the compliance
rates the report publishes, computed from the registers.
"""

from esgledger.permits.summary import DischargeSummary, discharge_summary, expiring_permits

__all__ = ["DischargeSummary", "discharge_summary", "expiring_permits"]
