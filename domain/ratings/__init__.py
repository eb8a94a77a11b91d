"""好差评: the holder's rating of a finished case on the national five-level scale, by SMS reply; a poor rating's
follow-up (整改 and 回访) by the responsible officer within 15 working days; the ratings in the national fields."""
