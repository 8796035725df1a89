"""Input: keys, swipes, taps and the wheel turned into named actions.

Also the staff's corner hold and the activity watch, which the modes listen to.
"""
