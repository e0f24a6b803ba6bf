"""The working-day calendar's database side (工作日历).

:mod:`gongkai.workdays` counts working days in pure Python; this app stores the
holiday schedules (节假日安排) a platform superuser enters for years the package
does not know yet, builds the platform's :func:`selectors.calendar` from them,
and serves the page where they are entered.  Every statutory deadline of every
body — disclosure (条例第二十六条), applications (条例第三十三条), reports — is
counted on that one calendar.
"""
