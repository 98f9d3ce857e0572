"""The catalog esgledger ships: complete for the reference report, consistent, bilingual."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog import Catalog, load_catalog
from esgledger.catalog.graph import find_cycle
from esgledger.catalog.loader import shipped_files
from esgledger.catalog.model import Aggregation, Frequency, Kind, QuantityType
from esgledger.units import parse_unit

# Figures the reference report (China Northern Rare Earth, 2024 ESG report) discloses that
# subsidiaries must collect. Each needs an input indicator, or the report cannot be built.
REFERENCE_REPORT_INPUTS = {
    "energy": [
        "energy.purchased_electricity", "energy.green_power_purchased", "energy.purchased_steam",
        "energy.natural_gas", "energy.gasoline", "energy.diesel", "energy.coke_oven_gas",
        "energy.power_coal", "energy.renewable_self_generated", "energy.pv_capacity",
        "energy.savings_from_measures", "energy.target_total_cap",
    ],
    "production": [
        "production.reo_output", "production.reo_output_smelting_separation",
        "production.metal_output", "production.product_output",
    ],
    "water": [
        "water.fresh_withdrawal", "water.fresh_withdrawal_smelting_separation",
        "water.withdrawal_surface", "water.recycled",
    ],
    "pollutants": [
        "wastewater.industrial_discharge", "wastewater.domestic_discharge", "wastewater.cod",
        "wastewater.ammonia_nitrogen", "wastewater.zero_discharge_sites", "air.so2", "air.nox",
        "air.particulate", "noise.permit_declarations",
    ],
    "waste": [
        "waste.general_industrial_generated", "waste.fgd_gypsum", "waste.water_leached_slag",
        "waste.hazardous_generated", "waste.mineral_oil", "waste.waste_acid", "waste.household",
        "waste.kitchen", "waste.electronic",
    ],
    "circular": [
        "circular.ammonia_recovered", "circular.ammonium_sulfate_recovered",
        "circular.ammonium_chloride_recovered", "circular.sulfuric_acid_recovered",
        "circular.hydrofluoric_acid_recovered", "circular.cooling_water_recovered",
        "circular.recycled_rare_earth_processed", "circular.mgso4_wastewater_recycled",
        "circular.co2_recovered",
    ],
    "environment_management": [
        "env.protection_expenditure", "env.ems_certified_entities", "env.green_factories",
        "env.facility_sync_operation_rate", "env.training_sessions", "env.training_hours",
        "env.training_participants", "env.inspection_campaigns", "env.soil_risk_assessments",
        "biodiversity.tailings_ponds_closed", "office.paper_consumption", "office.paper_saved",
        "office.toner_cartridges", "office.ink_cartridges", "office.vehicle_gasoline",
        "office.ev_charging_points",
    ],
    "climate_and_ghg": [
        # process emissions and Scope 3 are computed from these activity inputs
        "process.re_metal_electrolysis_output", "process.carbon_anode_consumed",
        "process.carbonate_na2co3_consumed", "ghg.scope1_co2_recovered",
        "scope3.cat1_purchased_spend", "scope3.cat4_upstream_transport",
        "ghg.reduction_achieved", "climate.epd_reports",
    ],
    "safety": [
        "safety.investment", "safety.fatalities", "safety.lost_time_injuries",
        "safety.major_incidents", "safety.hazards_identified", "safety.major_hazards_identified",
        "safety.hazards_corrected", "safety.inspections", "safety.emergency_drills",
        "safety.drill_participants", "safety.training_sessions", "safety.training_hours",
        "safety.training_participants", "safety.ohs_ms_certified_entities",
        "safety.standardisation_tier2_entities", "safety.standardisation_tier3_entities",
        "ohs.fund", "ohs.health_exams_required", "ohs.health_exams_done",
        "ohs.occupational_disease_cases", "ohs.liability_insured_employees",
        "ohs.hazard_factor_points_tested", "ohs.hazard_factor_points_compliant",
    ],
    "people": [
        "hr.headcount_total", "hr.headcount_male", "hr.headcount_female",
        "hr.headcount_age_under30", "hr.headcount_age_30_50", "hr.headcount_age_over50",
        "hr.headcount_edu_college_or_below", "hr.headcount_edu_bachelor",
        "hr.headcount_edu_master_plus", "hr.headcount_senior_mgmt", "hr.headcount_middle_mgmt",
        "hr.headcount_other", "hr.headcount_mainland", "hr.headcount_disabled", "hr.new_hires",
        "hr.leavers", "hr.employees_with_contract", "hr.employees_with_social_insurance",
        "hr.local_employees", "hr.child_forced_labour_incidents", "hr.care_expenditure",
        "hr.employees_assisted", "hr.high_level_talents_recruited", "hr.trade_union_members",
        "hr.trade_union_staff", "hr.trade_union_satisfaction", "hr.union_requests_received",
        "hr.union_requests_resolved", "hr.employee_activities",
    ],
    "training": [
        "training.expenditure", "training.sessions", "training.participation",
        "training.hours_total", "training.hours_senior_mgmt", "training.hours_middle_mgmt",
        "training.employees_trained", "training.skill_assessment_candidates",
        "training.skill_assessment_passed",
    ],
    "innovation": [
        "rd.expenditure", "rd.platforms_national", "rd.platforms_provincial",
        "rd.university_collaboration_spend", "rd.national_projects", "rd.outcomes_commercialised",
        "rd.training_sessions", "rd.training_participants", "ip.patent_applications",
        "ip.invention_applications", "ip.utility_model_applications", "ip.design_applications",
        "ip.patents_granted_new", "ip.patents_granted_total", "ip.patent_rewards",
        "ip.training_sessions", "ip.training_participants", "ip.training_hours",
        "standards.developed_total", "digital.cnc_adoption_rate", "digital.process_control_rate",
        "digital.equipment_digitalisation_rate",
    ],
    "governance": [
        "gov.party_committee_meetings", "gov.general_meetings", "gov.board_meetings",
        "gov.board_size", "gov.independent_directors", "gov.female_directors",
        "gov.committee_meetings", "gov.supervisory_committee_meetings", "gov.supervisors",
        "gov.supervisory_proposals_approved", "gov.gm_proposals_approved",
        "gov.board_proposals_approved", "gov.independent_director_special_meetings",
        "gov.gm_office_meetings", "gov.policies_new", "gov.policies_revised", "gov.audit_projects",
        "disclosure.periodic_reports", "disclosure.interim_announcements",
        "disclosure.documents_submitted", "disclosure.sse_rating", "ir.performance_briefings",
        "ir.activity_records", "ir.einteractive_responses", "shareholder.cash_dividends",
        "shareholder.cumulative_returns", "tax.total_paid", "compliance.iso37301_certified",
        "compliance.legal_training_sessions", "compliance.legal_training_hours",
        "compliance.legal_training_participants", "compliance.risk_training_sessions",
        "compliance.risk_training_hours", "compliance.risk_training_participants",
        "anticompetition.legal_actions",
    ],
    "community": [
        "community.rural_revitalization_spend", "community.rural_people_covered",
        "community.public_welfare_spend", "community.social_contribution_events",
        "community.social_contribution_participants", "community.social_contribution_hours",
        "community.consumption_assistance", "volunteer.services", "volunteer.participants",
        "volunteer.hours", "volunteer.registered_volunteers",
    ],
    "customers_quality": [
        "quality.oqc_lots_inspected", "quality.oqc_lots_passed_first", "quality.first_pass_yield",
        "quality.recalls_count", "quality.recall_volume", "quality.major_incidents",
        "quality.complaints", "quality.orders", "quality.orders_on_time",
        "quality.improvement_projects", "quality.training_sessions", "customer.satisfaction_rate",
        "customer.data_breaches", "infosec.training_sessions", "infosec.training_hours",
        "infosec.training_participants",
    ],
    "supply_chain": [
        "supply.critical_risk_incidents", "supply.suppliers_in_critical_incidents",
        "supply.persons_in_critical_incidents",
    ],
    "organisation": [
        "org.revenue", "org.total_assets", "org.net_income_parent", "org.net_assets_parent",
        "org.total_profit", "org.affiliates_count",
    ],
}  # fmt: skip

# Rates and intensities the reference report prints: computed, never collected.
REFERENCE_REPORT_DERIVED = [
    "energy.intensity_per_treo", "energy.renewable_share", "energy.total",
    "water.intensity_per_treo_smelting", "env.ems_certified_share", "safety.ltifr_per_1000",
    "safety.hazard_correction_rate", "safety.ohs_ms_coverage", "ohs.health_exam_coverage",
    "ohs.hazard_factor_testing_compliance", "hr.turnover_rate", "hr.contract_rate",
    "training.avg_hours_per_employee", "training.skill_certification_pass_rate", "rd.intensity",
    "gov.independent_director_share", "gov.female_director_share",
    "quality.oqc_one_time_pass_rate", "quality.on_time_delivery_rate",
    "community.people_covered_per_100m_revenue", "ghg.scope1", "ghg.scope2_location",
    "ghg.intensity_key_entities",
]  # fmt: skip

REFERENCE_IDS_FILE = Path(__file__).with_name("reference_catalog_ids.txt")
_CJK = re.compile(r"[\u3400-\u9fff]")


def test_shipped_catalog_loads_every_topic_file(catalog: Catalog) -> None:
    assert len(catalog) >= 290
    assert catalog.topics() == sorted(path.stem for path in shipped_files())


def test_shipped_catalog_is_read_once_per_process() -> None:
    assert load_catalog() is load_catalog()


@pytest.mark.parametrize("topic", sorted(REFERENCE_REPORT_INPUTS))
def test_every_collected_figure_of_the_reference_report_has_an_input(
    catalog: Catalog, topic: str
) -> None:
    missing = [id_ for id_ in REFERENCE_REPORT_INPUTS[topic] if id_ not in catalog]
    not_inputs = [
        id_ for id_ in REFERENCE_REPORT_INPUTS[topic]
        if id_ in catalog and catalog.get(id_).kind is not Kind.INPUT
    ]  # fmt: skip
    assert (missing, not_inputs) == ([], [])


def test_reference_report_rates_are_computed_not_collected(catalog: Catalog) -> None:
    assert [i for i in REFERENCE_REPORT_DERIVED if catalog.get(i).kind is not Kind.DERIVED] == []


def test_no_id_of_the_reference_draft_catalog_disappeared(catalog: Catalog) -> None:
    lines = REFERENCE_IDS_FILE.read_text(encoding="utf-8").splitlines()
    ids = [line for line in lines if line and not line.startswith("#")]
    assert len(ids) == 291
    assert [id_ for id_ in ids if id_ not in catalog] == []


def test_energy_carriers_and_production_are_reported_monthly(catalog: Catalog) -> None:
    monthly = REFERENCE_REPORT_INPUTS["energy"][:9] + REFERENCE_REPORT_INPUTS["production"]
    assert {catalog.get(i).frequency for i in monthly} == {Frequency.MONTHLY}


def test_every_unit_parses(catalog: Catalog) -> None:
    for indicator in catalog:
        parse_unit(indicator.unit)


def test_every_derived_dependency_exists(catalog: Catalog) -> None:
    dangling = [(ind.id, dep) for ind in catalog.derived() for dep in ind.dependencies
                if dep not in catalog]  # fmt: skip
    assert dangling == []


def test_derived_indicators_form_no_cycle(catalog: Catalog) -> None:
    assert find_cycle({ind.id: ind.dependencies for ind in catalog}) is None


def test_derived_indicators_are_not_reported_more_often_than_their_inputs(
    catalog: Catalog,
) -> None:
    too_often = [
        (ind.id, dep) for ind in catalog.derived() for dep in ind.dependencies
        if ind.frequency is Frequency.MONTHLY and catalog.get(dep).frequency is Frequency.YEARLY
    ]  # fmt: skip
    assert too_often == []


def test_every_indicator_has_a_chinese_and_an_english_name(catalog: Catalog) -> None:
    assert [ind.id for ind in catalog if not _CJK.search(ind.name("zh"))] == []
    assert [ind.id for ind in catalog if not ind.name("en").strip()] == []


def test_names_are_unique_in_each_language(catalog: Catalog) -> None:
    for lang in ("en", "zh"):
        names = [ind.name(lang) for ind in catalog]
        assert sorted({n for n in names if names.count(n) > 1}) == []


def test_ratios_are_never_summed_over_time(catalog: Catalog) -> None:
    summed = [ind.id for ind in catalog if ind.ratio and ind.quantity_type is QuantityType.FLOW]
    assert summed == []


def test_collected_percentages_are_never_summed_across_entities(catalog: Catalog) -> None:
    summed = [ind.id for ind in catalog.inputs()
              if ind.unit == "%" and ind.aggregation is Aggregation.SUM]  # fmt: skip
    assert summed == []


def test_every_framework_code_is_an_item_of_its_framework(catalog: Catalog) -> None:
    known = {fw: {item.code for item in catalog.framework_items(fw)} for fw in catalog.frameworks()}
    unknown = [(ind.id, fw, code) for ind in catalog for fw, code in ind.frameworks.pairs()
               if code not in known[fw]]  # fmt: skip
    assert unknown == []


def test_framework_lists_are_complete() -> None:
    catalog = load_catalog()
    counts = {fw: len(catalog.framework_items(fw)) for fw in catalog.frameworks()}
    assert counts["sasac"] == 132
    assert counts["gri"] == 117
    topics = [item for item in catalog.framework_items("sse14") if "Topic" in item.title_en]
    assert len(topics) == 21


def test_green_power_is_not_counted_twice_in_comprehensive_energy(catalog: Catalog) -> None:
    # Green power is inside purchased electricity; adding it again would inflate energy.total.
    assert "energy.green_power_purchased_tce" not in catalog.get("energy.total").dependencies
    assert "energy.purchased_electricity_tce" in catalog.get("energy.total").dependencies


def test_reference_figures_are_quoted_where_the_report_gives_them(catalog: Catalog) -> None:
    reference = catalog.get("energy.natural_gas").reference or ""
    assert "69,759,526" in reference
    assert "919" in (catalog.get("energy.intensity_per_treo").reference or "")
