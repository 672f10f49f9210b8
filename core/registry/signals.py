"""Signals of the register, for domains that must react inside the same transaction.

`resident_left`: a resident moved out of, or died in, their household (sent by the register's
services after the change is written; receivers write in the same transaction, so a failure
undoes the whole change). Arguments: resident, household (or None), reason ("moved_out" or
"died"), on (the date), actor.
"""

from django.dispatch import Signal

resident_left = Signal()
