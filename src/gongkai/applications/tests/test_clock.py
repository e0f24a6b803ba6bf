"""The reply clock against hand-computed deadlines.

Every expected date below was counted by hand on a paper calendar from the
State Council's holiday notices (国办发明电〔2023〕7号 for 2024, 〔2024〕12号 for
2025, the 2026 notice), not taken from the code.  Reminders of the schedules:

2024: off Jan 1; Feb 10-17 (work Sun Feb 4, Sun Feb 18); Apr 4-6 (work Sun Apr 7);
      May 1-5 (work Sun Apr 28, Sat May 11); Jun 10; Sep 15-17 (work Sat Sep 14);
      Oct 1-7 (work Sun Sep 29, Sat Oct 12).  Fri Feb 9 (除夕) was a working day.
2025: off Jan 1; Jan 28-Feb 4 (work Sun Jan 26, Sat Feb 8); Apr 4-6; May 1-5 (work
      Sun Apr 27); May 31-Jun 2; Oct 1-8 (work Sun Sep 28, Sat Oct 11).
2026: off Jan 1-3 (work Sun Jan 4); Feb 15-23 (work Sat Feb 14, Sat Feb 28);
      Apr 4-6; May 1-5 (work Sat May 9); Jun 19-21; Sep 25-27;
      Oct 1-7 (work Sun Sep 20, Sat Oct 10).
2027: not published when written -> Monday-Friday less the statutory holidays
      (元旦 Jan 1; 春节 Feb 5-8; 清明 Apr 5; May 1-2; 端午 Jun 9; 中秋 Sep 15;
      Oct 1-3), no 调休, provisional (gongkai.workdays.lunar).

Counting (条例第三十三条): the N-th working day after the day of receipt.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.applications import clock
from gongkai.applications.clock import ClockError, Event, compute_deadline, receipt_date

D = date
E = Event

# (case id, received_on, events, expected due, article, reasoning written by hand)
CASES = [
    # --- plain 20 working days (条例第三十三条第二款) ---
    (
        "fri-before-national-day-2024",
        D(2024, 9, 27),
        [],
        D(2024, 10, 30),
        "条例第三十三条第二款",
        "Sun 9/29=1, 9/30=2, 10/8-11=3-6, Sat 10/12=7, 10/14-18=8-12, 10/21-25=13-17, 10/28-30=18-20",
    ),
    (
        "mon-before-national-day-2024",
        D(2024, 9, 30),
        [],
        D(2024, 11, 1),
        "条例第三十三条第二款",
        "10/8-11=1-4, Sat 10/12=5, 10/14-18=6-10, 10/21-25=11-15, 10/28-31=16-19, 11/1=20",
    ),
    (
        "receipt-in-national-day-2024",
        D(2024, 10, 3),
        [],
        D(2024, 11, 1),
        "条例第三十三条第二款",
        "holiday receipt is not moved first: 10/8=1 ... 11/1=20",
    ),
    (
        "receipt-on-makeup-sunday-2024-09-29",
        D(2024, 9, 29),
        [],
        D(2024, 10, 31),
        "条例第三十三条第二款",
        "9/30=1, 10/8-12=2-6, 10/14-18=7-11, 10/21-25=12-16, 10/28-31=17-20",
    ),
    (
        "mid-autumn-2024",
        D(2024, 9, 13),
        [],
        D(2024, 10, 17),
        "条例第三十三条第二款",
        "Sat 9/14=1, 9/18-20=2-4, 9/23-27=5-9, Sun 9/29=10, 9/30=11, 10/8-12=12-16, 10/14-17=17-20",
    ),
    (
        "spring-festival-2024-thu",
        D(2024, 2, 8),
        [],
        D(2024, 3, 13),
        "条例第三十三条第二款",
        "Fri 2/9=1, Sun 2/18=2, 2/19-23=3-7, 2/26-3/1=8-12, 3/4-8=13-17, 3/11-13=18-20",
    ),
    (
        "spring-festival-2024-receipt-on-holiday-sat",
        D(2024, 2, 10),
        [],
        D(2024, 3, 14),
        "条例第三十三条第二款",
        "Sun 2/18=1, 2/19-23=2-6, 2/26-3/1=7-11, 3/4-8=12-16, 3/11-14=17-20",
    ),
    (
        "receipt-on-makeup-sunday-2024-02-04",
        D(2024, 2, 4),
        [],
        D(2024, 3, 7),
        "条例第三十三条第二款",
        "2/5-9=1-5, Sun 2/18=6, 2/19-23=7-11, 2/26-3/1=12-16, 3/4-7=17-20",
    ),
    (
        "labour-day-2024",
        D(2024, 4, 26),
        [],
        D(2024, 5, 27),
        "条例第三十三条第二款",
        "Sun 4/28=1, 4/29-30=2-3, 5/6-10=4-8, Sat 5/11=9, 5/13-17=10-14, 5/20-24=15-19, 5/27=20",
    ),
    (
        "qingming-2024",
        D(2024, 4, 3),
        [],
        D(2024, 5, 6),
        "条例第三十三条第二款",
        "Sun 4/7=1, 4/8-12=2-6, 4/15-19=7-11, 4/22-26=12-16, Sun 4/28=17, 4/29-30=18-19, 5/6=20",
    ),
    (
        "dragon-boat-2024",
        D(2024, 6, 7),
        [],
        D(2024, 7, 8),
        "条例第三十三条第二款",
        "6/10 off, 6/11-14=1-4, 6/17-21=5-9, 6/24-28=10-14, 7/1-5=15-19, 7/8=20",
    ),
    (
        "new-year-2025",
        D(2024, 12, 20),
        [],
        D(2025, 1, 20),
        "条例第三十三条第二款",
        "12/23-27=1-5, 12/30-31=6-7, 1/1 off, 1/2-3=8-9, 1/6-10=10-14, 1/13-17=15-19, 1/20=20",
    ),
    (
        "spring-festival-2025",
        D(2025, 1, 24),
        [],
        D(2025, 2, 27),
        "条例第三十三条第二款",
        "Sun 1/26=1, 1/27=2, 2/5-7=3-5, Sat 2/8=6, 2/10-14=7-11, 2/17-21=12-16, 2/24-27=17-20",
    ),
    (
        "spring-festival-2025-receipt-on-holiday",
        D(2025, 1, 29),
        [],
        D(2025, 3, 3),
        "条例第三十三条第二款",
        "2/5-7=1-3, Sat 2/8=4, 2/10-14=5-9, 2/17-21=10-14, 2/24-28=15-19, 3/3=20",
    ),
    (
        "national-day-2025",
        D(2025, 9, 26),
        [],
        D(2025, 10, 30),
        "条例第三十三条第二款",
        "Sun 9/28=1, 9/29-30=2-3, 10/9-10=4-5, Sat 10/11=6, 10/13-17=7-11, 10/20-24=12-16, 10/27-30=17-20",
    ),
    (
        "national-day-2025-receipt-on-holiday-sat",
        D(2025, 10, 4),
        [],
        D(2025, 11, 4),
        "条例第三十三条第二款",
        "10/9-10=1-2, Sat 10/11=3, 10/13-17=4-8, 10/20-24=9-13, 10/27-31=14-18, 11/3-4=19-20",
    ),
    (
        "labour-day-2025",
        D(2025, 4, 30),
        [],
        D(2025, 6, 3),
        "条例第三十三条第二款",
        "5/6-9=1-4, 5/12-16=5-9, 5/19-23=10-14, 5/26-30=15-19, 6/2 off, 6/3=20",
    ),
    (
        "receipt-on-makeup-sunday-2025-04-27",
        D(2025, 4, 27),
        [],
        D(2025, 5, 28),
        "条例第三十三条第二款",
        "4/28-30=1-3, 5/6-9=4-7, 5/12-16=8-12, 5/19-23=13-17, 5/26-28=18-20",
    ),
    (
        "new-year-2026",
        D(2025, 12, 31),
        [],
        D(2026, 1, 29),
        "条例第三十三条第二款",
        "1/1-3 off, Sun 1/4=1, 1/5-9=2-6, 1/12-16=7-11, 1/19-23=12-16, 1/26-29=17-20",
    ),
    (
        "spring-festival-2026",
        D(2026, 2, 13),
        [],
        D(2026, 3, 19),
        "条例第三十三条第二款",
        "Sat 2/14=1, 2/15-23 off, 2/24-27=2-5, Sat 2/28=6, 3/2-6=7-11, 3/9-13=12-16, 3/16-19=17-20",
    ),
    (
        "spring-festival-2026-receipt-on-holiday",
        D(2026, 2, 18),
        [],
        D(2026, 3, 20),
        "条例第三十三条第二款",
        "2/24-27=1-4, Sat 2/28=5, 3/2-6=6-10, 3/9-13=11-15, 3/16-20=16-20",
    ),
    (
        "national-day-2026",
        D(2026, 9, 30),
        [],
        D(2026, 11, 3),
        "条例第三十三条第二款",
        "10/8-9=1-2, Sat 10/10=3, 10/12-16=4-8, 10/19-23=9-13, 10/26-30=14-18, 11/2-3=19-20",
    ),
    (
        "mid-autumn-and-national-day-2026",
        D(2026, 9, 18),
        [],
        D(2026, 10, 22),
        "条例第三十三条第二款",
        "Sun 9/20=1, 9/21-24=2-5, 9/25 off, 9/28-30=6-8, 10/8-10=9-11, 10/12-16=12-16, 10/19-22=17-20",
    ),
    (
        "labour-day-2026",
        D(2026, 4, 30),
        [],
        D(2026, 6, 1),
        "条例第三十三条第二款",
        "5/1-5 off, 5/6-8=1-3, Sat 5/9=4, 5/11-15=5-9, 5/18-22=10-14, 5/25-29=15-19, 6/1=20",
    ),
    (
        "qingming-2026",
        D(2026, 4, 3),
        [],
        D(2026, 5, 7),
        "条例第三十三条第二款",
        "4/6 off, 4/7-10=1-4, 4/13-17=5-9, 4/20-24=10-14, 4/27-30=15-18, 5/1-5 off, 5/6-7=19-20",
    ),
    (
        "december-2026-within-year",
        D(2026, 12, 1),
        [],
        D(2026, 12, 29),
        "条例第三十三条第二款",
        "12/2-4=1-3, 12/7-11=4-8, 12/14-18=9-13, 12/21-25=14-18, 12/28-29=19-20",
    ),
    (
        "december-2026-ends-dec-31",
        D(2026, 12, 3),
        [],
        D(2026, 12, 31),
        "条例第三十三条第二款",
        "12/4=1, 12/7-11=2-6, 12/14-18=7-11, 12/21-25=12-16, 12/28-31=17-20",
    ),
    (
        "december-2026-into-2027-provisional",
        D(2026, 12, 10),
        [],
        D(2027, 1, 8),
        "条例第三十三条第二款",
        "12/11=1, 12/14-18=2-6, 12/21-25=7-11, 12/28-31=12-15, 1/1/2027 元旦 off, 1/4-8=16-20",
    ),
    (
        "december-2026-skips-jan-1-2027-provisional",
        D(2026, 12, 4),
        [],
        D(2027, 1, 4),
        "条例第三十三条第二款",
        "12/7-11=1-5, 12/14-18=6-10, 12/21-25=11-15, 12/28-31=16-19, Fri 1/1/2027 元旦 off, "
        "Mon 1/4=20",
    ),
    # --- 补正 restarts the period (条例第三十条) ---
    (
        "correction-restart-2024",
        D(2024, 9, 27),
        [
            E("correction_requested", D(2024, 9, 30), until=D(2024, 10, 15)),
            E("correction_received", D(2024, 10, 14)),
        ],
        D(2024, 11, 11),
        "条例第三十条、第三十三条第二款",
        "from 10/14: 10/15-18=1-4, 10/21-25=5-9, 10/28-31=10-13, 11/1=14, 11/4-8=15-19, 11/11=20",
    ),
    (
        "correction-restart-spring-festival-2026",
        D(2026, 2, 9),
        [
            E("correction_requested", D(2026, 2, 11), until=D(2026, 3, 6)),
            E("correction_received", D(2026, 2, 27)),
        ],
        D(2026, 3, 26),
        "条例第三十条、第三十三条第二款",
        "from Fri 2/27: Sat 2/28=1, 3/2-6=2-6, 3/9-13=7-11, 3/16-20=12-16, 3/23-26=17-20",
    ),
    # --- extension (条例第三十三条第二款) ---
    (
        "correction-then-extension-20",
        D(2024, 9, 27),
        [
            E("correction_requested", D(2024, 9, 30), until=D(2024, 10, 15)),
            E("correction_received", D(2024, 10, 14)),
            E("extension", D(2024, 11, 5), days=20, approved=True),
        ],
        D(2024, 12, 9),
        "条例第三十三条第二款",
        "40 from 10/14: 11/11=20, 11/12-15=21-24, 11/18-22=25-29, 11/25-29=30-34, 12/2-6=35-39, 12/9=40",
    ),
    (
        "extension-10",
        D(2024, 9, 30),
        [E("extension", D(2024, 10, 28), days=10, approved=True)],
        D(2024, 11, 15),
        "条例第三十三条第二款",
        "11/1=20, 11/4-8=21-25, 11/11-15=26-30",
    ),
    (
        "extension-into-2027-provisional",
        D(2026, 11, 30),
        [E("extension", D(2026, 12, 20), days=20, approved=True)],
        D(2027, 1, 26),
        "条例第三十三条第二款",
        "12/28=20, 12/29-31=21-23, 1/1 元旦 off, 1/4-8=24-28, 1/11-15=29-33, 1/18-22=34-38, "
        "1/25-26=39-40",
    ),
    # --- consultation pauses (条例第三十二条、第三十四条、第三十三条第三款) ---
    (
        "third-party-pause-8",
        D(2025, 3, 3),
        [E("third_party_consulted", D(2025, 3, 10)), E("consultation_answered", D(2025, 3, 20))],
        D(2025, 4, 11),
        "条例第三十三条第三款",
        "paused (3/10,3/20] = 3/11-14,3/17-20 = 8; 28 from 3/3: 3/31=20, 4/1-3=21-23, 4/4 off, 4/7-11=24-28",
    ),
    (
        "third-party-pending-assumes-15",
        D(2025, 3, 3),
        [E("third_party_consulted", D(2025, 3, 10))],
        D(2025, 4, 22),
        "条例第三十二条、第三十三条第三款",
        "limit 3/31 (15 wd after 3/10); 35 from 3/3: 4/11=28, 4/14-18=29-33, 4/21-22=34-35",
    ),
    (
        "third-party-late-answer-capped-at-15",
        D(2025, 3, 3),
        [E("third_party_consulted", D(2025, 3, 10)), E("consultation_answered", D(2025, 4, 3))],
        D(2025, 4, 22),
        "条例第三十二条、第三十三条第三款",
        "pause capped at 3/31: 15 days, as above",
    ),
    (
        "other-body-pause-over-national-day-2024",
        D(2024, 9, 20),
        [E("other_body_consulted", D(2024, 9, 27)), E("consultation_answered", D(2024, 10, 10))],
        D(2024, 10, 30),
        "条例第三十三条第三款",
        "paused (9/27,10/10] = Sun 9/29, 9/30, 10/8-10 = 5; 25 from 9/20: 9/23-27=1-5, 9/29-30=6-7, 10/8-12=8-12, 10/14-18=13-17, 10/21-25=18-22, 10/28-30=23-25",
    ),
    (
        "consultation-then-extension",
        D(2024, 9, 27),
        [
            E("third_party_consulted", D(2024, 10, 8)),
            E("consultation_answered", D(2024, 10, 15)),
            E("extension", D(2024, 10, 21), days=20, approved=True),
        ],
        D(2024, 12, 5),
        "条例第三十三条第二款",
        "paused (10/8,10/15] = 10/9-12, 10/14-15 = 6; 46 from 9/27: 10/30=20, 10/31-11/1=21-22, 11/4-29=23-42, 12/2-5=43-46",
    ),
    # --- fee notice (国办函〔2020〕109号) ---
    (
        "fee-pause-5",
        D(2025, 6, 3),
        [E("fee_notice", D(2025, 6, 10)), E("fee_paid", D(2025, 6, 17))],
        D(2025, 7, 8),
        "国办函〔2020〕109号",
        "paused (6/10,6/17] = 6/11-13, 6/16-17 = 5; 25 from 6/3: 7/1=20, 7/2-4=21-23, 7/7-8=24-25",
    ),
    (
        "fee-pending-assumes-20",
        D(2025, 6, 3),
        [E("fee_notice", D(2025, 6, 10))],
        D(2025, 7, 29),
        "国办函〔2020〕109号",
        "payment by 7/8 (20 wd after 6/10); 40 from 6/3: 7/1=20, 7/2-4=21-23, 7/7-11=24-28, 7/14-18=29-33, 7/21-25=34-38, 7/28-29=39-40",
    ),
    # --- 条例第三十五条 ---
    (
        "later-date-set",
        D(2025, 6, 3),
        [
            E("reasons_requested", D(2025, 6, 5), until=D(2025, 6, 16)),
            E("later_date_set", D(2025, 6, 16), until=D(2025, 8, 29)),
        ],
        D(2025, 8, 29),
        "条例第三十五条",
        "the date set by the body is the due date",
    ),
    (
        "reasons-requested-clock-runs",
        D(2025, 6, 3),
        [E("reasons_requested", D(2025, 6, 5), until=D(2025, 6, 16))],
        D(2025, 7, 1),
        "条例第三十三条第二款",
        "asking for reasons does not stop the clock: 6/4-6=1-3, ..., 7/1=20",
    ),
]


@pytest.mark.parametrize(
    ("received_on", "events", "expected", "article"),
    [pytest.param(r, e, x, a, id=i) for i, r, e, x, a, _ in CASES],
)
def test_hand_computed_deadlines(received_on, events, expected, article):
    deadline = compute_deadline(received_on, events)
    assert deadline.due_on == expected
    # The step that last moved the due date (or the base rule) cites ``article``.
    movers = [deadline.history[0]] + [
        step
        for prev, step in zip(deadline.history, deadline.history[1:], strict=False)
        if step.due_on != prev.due_on
    ]
    assert movers[-1].due_on == expected
    assert movers[-1].article == article


@pytest.mark.parametrize(
    ("events", "message"),
    [
        # Received 2025-06-03, due 2025-07-01 (20 working days).
        ([E("reasons_requested", D(2025, 7, 2), until=D(2025, 7, 10))], "不能再要求申请人说明理由"),
        (
            [
                E("reasons_requested", D(2025, 6, 5), until=D(2025, 6, 16)),
                E("later_date_set", D(2025, 7, 2), until=D(2025, 8, 29)),
            ],
            "不能再确定延后的答复期限",
        ),
    ],
)
def test_article_35_steps_refused_after_the_due_date(events, message):
    with pytest.raises(ClockError, match=message):
        compute_deadline(D(2025, 6, 3), events)
    # On the due date itself both are still allowed.
    on_time = [
        E(e.kind, D(2025, 7, 1) if e.on > D(2025, 7, 1) else e.on, until=e.until) for e in events
    ]
    assert compute_deadline(D(2025, 6, 3), on_time).due_on is not None


def test_at_least_forty_hand_computed_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("received_on", "events", "provisional"),
    [
        (D(2026, 12, 10), [], True),
        (D(2026, 12, 4), [], True),
        (D(2026, 12, 3), [], False),
        (D(2026, 11, 30), [E("extension", D(2026, 12, 20), days=20, approved=True)], True),
        (D(2024, 9, 27), [], False),
    ],
)
def test_provisional_flag_for_unknown_years(received_on, events, provisional):
    deadline = compute_deadline(received_on, events)
    assert deadline.provisional is provisional
    assert (2027 in deadline.unknown_years) is provisional


@pytest.mark.parametrize(
    ("received_on", "expected"),
    [
        # 条例第三十条: 7 working days after receipt.
        (D(2024, 9, 27), D(2024, 10, 12)),  # Sun 9/29=1, 9/30=2, 10/8-11=3-6, Sat 10/12=7
        (D(2025, 1, 24), D(2025, 2, 10)),  # Sun 1/26=1, 1/27=2, 2/5-7=3-5, Sat 2/8=6, 2/10=7
        (D(2026, 2, 9), D(2026, 2, 25)),  # 2/10-13=1-4, Sat 2/14=5, 2/24-25=6-7
    ],
)
def test_correction_notice_deadline(received_on, expected):
    assert compute_deadline(received_on, []).correction_deadline == expected


def test_history_explains_each_move():
    deadline = compute_deadline(
        D(2024, 9, 27),
        [
            E("correction_requested", D(2024, 9, 30), until=D(2024, 10, 15)),
            E("correction_received", D(2024, 10, 14)),
            E("extension", D(2024, 11, 5), days=20, approved=True),
        ],
    )
    dues = [(s.due_on, s.article) for s in deadline.history]
    assert dues == [
        (D(2024, 10, 30), "条例第三十三条第二款"),
        (None, "条例第三十条"),
        (D(2024, 11, 11), "条例第三十条、第三十三条第二款"),
        (D(2024, 12, 9), "条例第三十三条第二款"),
    ]
    assert deadline.reasons[1][0] is None


def test_fee_pause_can_be_switched_off():
    events = [E("fee_notice", D(2025, 6, 10)), E("fee_paid", D(2025, 6, 17))]
    # Without the pause: 20 from 6/3 = 7/1.
    assert compute_deadline(D(2025, 6, 3), events, fee_pauses=False).due_on == D(2025, 7, 1)


def test_fee_payment_deadline():
    deadline = compute_deadline(D(2025, 6, 3), [E("fee_notice", D(2025, 6, 10))])
    # 20 working days counted from the day after 6/10: 7/8.
    assert deadline.waiting_until == D(2025, 7, 8)
    assert deadline.state == clock.AWAITING_PAYMENT


# --- illegal orders ----------------------------------------------------------------

R = D(2024, 9, 27)
EXT = E("extension", D(2024, 10, 9), days=10, approved=True)
CLOSE = E("closed", D(2024, 10, 20), outcome="granted")

ILLEGAL = [
    (
        "extension-twice",
        [EXT, E("extension", D(2024, 10, 10), days=5, approved=True)],
        "已经延期一次",
    ),
    (
        "extension-21-days",
        [E("extension", D(2024, 10, 9), days=21, approved=True)],
        "最长不得超过20个工作日",
    ),
    (
        "extension-0-days",
        [E("extension", D(2024, 10, 9), days=0, approved=True)],
        "最长不得超过20个工作日",
    ),
    ("extension-without-approval", [E("extension", D(2024, 10, 9), days=10)], "公开办负责人"),
    (
        "extension-after-due",
        [E("extension", D(2024, 10, 31), days=10, approved=True)],
        "已于2024年10月30日届满",
    ),
    ("close-without-outcome", [E("closed", D(2024, 10, 20))], "必须选择办理结果"),
    ("close-unknown-outcome", [E("closed", D(2024, 10, 20), outcome="maybe")], "未知的办理结果"),
    ("close-twice", [CLOSE, E("closed", D(2024, 10, 21), outcome="granted")], "已办结"),
    ("event-after-close", [CLOSE, E("third_party_consulted", D(2024, 10, 22))], "已办结"),
    ("extension-after-close", [CLOSE, EXT], "已办结"),
    (
        "correction-after-7-days",
        [E("correction_requested", D(2024, 10, 14), until=D(2024, 10, 30))],
        "最晚应于2024年10月12日发出",
    ),
    ("correction-without-period", [E("correction_requested", D(2024, 9, 30))], "补正期限"),
    (
        "correction-after-other-event",
        [
            E("third_party_consulted", D(2024, 9, 30)),
            E("consultation_answered", D(2024, 10, 8)),
            E("correction_requested", D(2024, 10, 9), until=D(2024, 10, 20)),
        ],
        "其他办理事项之前",
    ),
    (
        "correction-received-without-request",
        [E("correction_received", D(2024, 10, 8))],
        "不能收到补正材料",
    ),
    (
        "answer-without-consultation",
        [E("consultation_answered", D(2024, 10, 8))],
        "不能收到征求意见答复",
    ),
    (
        "extension-while-awaiting-correction",
        [E("correction_requested", D(2024, 9, 30), until=D(2024, 10, 15)), EXT],
        "请先登记收到补正材料",
    ),
    (
        "no-correction-before-period-ends",
        [
            E("correction_requested", D(2024, 9, 30), until=D(2024, 10, 15)),
            E("closed", D(2024, 10, 15), outcome="other_no_correction"),
        ],
        "尚未届满",
    ),
    (
        "no-correction-without-notice",
        [E("closed", D(2024, 10, 20), outcome="other_no_correction")],
        "只有发出补正通知",
    ),
    (
        "unpaid-without-notice",
        [E("closed", D(2024, 10, 20), outcome="other_unpaid")],
        "只有发出收费通知",
    ),
    (
        "unpaid-before-deadline",
        [E("fee_notice", D(2024, 10, 8)), E("closed", D(2024, 10, 20), outcome="other_unpaid")],
        "尚未届满",
    ),
    (
        "payment-after-deadline",
        [E("fee_notice", D(2024, 10, 8)), E("fee_paid", D(2024, 11, 20))],
        "缴费期限已于",
    ),
    ("fee-notice-after-due", [E("fee_notice", D(2024, 11, 1))], "答复期限"),
    (
        "unclear-without-correction",
        [E("closed", D(2024, 10, 20), outcome="unable_unclear")],
        "收到补正材料之后",
    ),
    ("event-before-receipt", [E("third_party_consulted", D(2024, 9, 26))], "不能早于收到申请之日"),
    (
        "event-before-previous",
        [E("third_party_consulted", D(2024, 10, 9)), E("consultation_answered", D(2024, 10, 8))],
        "不能早于上一办理事项",
    ),
    (
        "later-date-not-later",
        [
            E("reasons_requested", D(2024, 9, 30), until=D(2024, 10, 10)),
            E("later_date_set", D(2024, 10, 10), until=D(2024, 10, 20)),
        ],
        "应当晚于现有答复期限",
    ),
    (
        "extension-after-later-date",
        [
            E("reasons_requested", D(2024, 9, 30), until=D(2024, 10, 10)),
            E("later_date_set", D(2024, 10, 10), until=D(2024, 12, 20)),
            E("extension", D(2024, 10, 11), days=10, approved=True),
        ],
        "第三十五条",
    ),
    ("unknown-event", [E("teleport", D(2024, 10, 8))], "未知的办理事项"),
]


@pytest.mark.parametrize(("events", "message"), [pytest.param(e, m, id=i) for i, e, m in ILLEGAL])
def test_illegal_orders_are_refused_in_chinese(events, message):
    with pytest.raises(ClockError) as info:
        compute_deadline(R, events)
    assert message in str(info.value)


def test_unclear_after_correction_and_lapsed_correction_are_allowed():
    events = [E("correction_requested", D(2024, 9, 30), until=D(2024, 10, 15))]
    lapsed = compute_deadline(
        R, [*events, E("closed", D(2024, 10, 16), outcome="other_no_correction")]
    )
    assert lapsed.state == clock.STATE_CLOSED
    unclear = compute_deadline(
        R,
        [
            *events,
            E("correction_received", D(2024, 10, 14)),
            E("closed", D(2024, 10, 20), outcome="unable_unclear"),
        ],
    )
    assert unclear.state == clock.STATE_CLOSED


# --- 条例第三十一条: the day of receipt per channel ---------------------------------------


@pytest.mark.parametrize(
    ("channel", "dates", "expected"),
    [
        ("in_person", {"submitted_on": D(2024, 9, 27)}, D(2024, 9, 27)),
        (
            "registered_mail",
            {"submitted_on": D(2024, 9, 24), "signed_for_on": D(2024, 9, 27)},
            D(2024, 9, 27),
        ),
        (
            "ordinary_mail",
            {"submitted_on": D(2024, 9, 24), "confirmed_on": D(2024, 9, 30)},
            D(2024, 9, 30),
        ),
        (
            "online",
            {"submitted_on": D(2024, 9, 28), "confirmed_on": D(2024, 9, 28)},
            D(2024, 9, 28),
        ),
        ("fax", {"submitted_on": D(2024, 9, 27), "confirmed_on": D(2024, 9, 29)}, D(2024, 9, 29)),
        ("email", {"submitted_on": D(2024, 9, 27), "confirmed_on": D(2024, 10, 8)}, D(2024, 10, 8)),
    ],
)
def test_receipt_date_per_channel(channel, dates, expected):
    assert receipt_date(channel=channel, **dates) == expected


@pytest.mark.parametrize(
    ("channel", "dates", "message"),
    [
        ("registered_mail", {"submitted_on": D(2024, 9, 24)}, "签收日期"),
        ("ordinary_mail", {"submitted_on": D(2024, 9, 24)}, "确认的日期"),
        ("in_person", {"submitted_on": None}, "提交日期"),
        ("email", {"submitted_on": D(2024, 9, 27), "confirmed_on": D(2024, 9, 26)}, "不能早于"),
        ("pigeon", {"submitted_on": D(2024, 9, 27)}, "未知的申请渠道"),
    ],
)
def test_receipt_date_refusals(channel, dates, message):
    with pytest.raises(ClockError, match=message):
        receipt_date(channel=channel, **dates)


def test_clock_module_does_not_import_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(clock.__file__).read_text(encoding="utf-8"))
    names = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [None])
    ]
    assert not any(n and n.startswith("django") for n in names)
