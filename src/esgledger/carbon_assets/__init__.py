"""Carbon assets: national ETS allowances, CCER and other credits, green electricity
certificates and direct green power, as a register of holdings and movements.

Every movement (allocation, purchase, sale, surrender, retirement) is a ledger record in
``carbon_assets.movements``; verified emissions of covered entities per compliance year
are records of ``carbon_assets.verified``. The compliance gap per year
(:mod:`esgledger.carbon_assets.compliance`) and the holdings are computed over them;
retired certificates and claimed green power become draft observations of
``energy.green_power_purchased`` (:mod:`esgledger.carbon_assets.scope2_feed`), the
contractual instruments that market-based Scope 2 reads.
"""
