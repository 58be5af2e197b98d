"""Issue 15's sixteen findings, one row each: every row names the tests that reproduce it
(each fails without its fix; they live beside the code they test), and this module runs them
together in one pytest process, so the table below is checked as a whole."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ROWS = {
    1: [
        "tests/members/test_staff_two_factor.py::test_the_admin_log_in_form_never_signs_staff_in_by_password_alone",
        "tests/members/test_staff_two_factor.py::test_many_wrong_passwords_lock_the_only_log_in_form_staff_have",
    ],
    2: [
        "tests/members/test_privilege_caches.py::test_private_mode_holds_even_if_a_concurrent_request_refilled_the_cache"
    ],
    3: [
        "tests/members/test_privilege_caches.py::test_a_moderator_removed_from_the_group_loses_the_inbox_despite_a_concurrent_refill"
    ],
    4: ["tests/members/test_accounts.py::test_the_private_landing_page_names_no_question_or_idea"],
    5: [
        "tests/moderation/test_flags.py::test_what_a_member_may_not_see_cannot_be_flagged_or_read_through_the_flag_page"
    ],
    6: [
        "tests/config/test_cache.py::test_visitors_pages_carry_no_csrf_token_and_their_forms_work_without_one"
    ],
    7: ["tests/config/test_cache.py::test_a_visitors_post_empties_no_cache"],
    8: [
        "tests/moderation/test_flags.py::test_new_accounts_cannot_hide_a_post_by_flags_alone",
        "tests/members/test_accounts.py::test_sign_ups_from_one_address_are_limited_to_a_few_per_hour",
    ],
    9: [
        "tests/config/test_cache.py::test_only_declared_query_parameters_and_values_are_cached",
        "tests/config/test_cache.py::test_free_text_pages_are_stored_only_within_the_views_budget",
    ],
    10: [
        "tests/forum/test_moderator_actions.py::test_a_duplicate_never_names_an_original_its_readers_may_not_see"
    ],
    11: [
        "tests/members/test_staff_two_factor.py::test_staff_without_two_factor_are_sent_to_set_it_up_from_every_staff_page"
    ],
    12: ["tests/moderation/test_flags.py::test_each_members_flag_links_carry_their_own_path"],
    13: ["tests/config/test_csvexport.py::test_text_a_spreadsheet_would_run_is_quoted"],
    14: ["tests/config/test_nul_bytes.py"],
    15: [
        "tests/ambassadors/test_pages.py::test_clicks_are_counted_once_per_visitor_per_day",
        "tests/forum/test_votes.py::test_a_burst_of_votes_from_new_accounts_counts_in_the_score_but_not_in_reputation",
        "tests/ambassadors/test_invitations.py::test_new_members_cannot_send_invitations_and_are_told_why",
    ],
    16: [
        "tests/config/test_csp.py::test_every_page_carries_a_policy_without_unsafe_inline",
        "tests/config/test_csp.py::test_every_cookie_the_site_sets_is_secure_with_the_production_flags",
    ],
}


def test_every_row_has_its_reproduction_and_all_pass():
    assert sorted(ROWS) == list(range(1, 17))
    node_ids = [node for nodes in ROWS.values() for node in nodes]
    for node in node_ids:
        assert (ROOT / node.split("::")[0]).exists(), node
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            *node_ids,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTEST_ADDOPTS": ""},
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in summary and "deselected" not in summary, summary
