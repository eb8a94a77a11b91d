"""Work on outside systems (the approval platform's pages, the SMS provider), done the one way the design asks:
claimed before the call, every try recorded, retried with back-off while a retry can help, stopped by a breaker
when the system looks down, and given up on — parked with its evidence, for a person — when it cannot go on.

`failure` says what an outside failure tells about retrying; `policy` decides what follows a failed try (pure);
`breaker` decides when a batch stops; `runner` makes an item's tries and walks a batch; `attempts` keeps a case
step's tries in the store and parks a case with its evidence. The edges (bots, notifications) say how one try is
made and what giving up means for their item: a case parked, an SMS replaced by a letter.
"""
