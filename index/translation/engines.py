"""The translation engines newsreader can use (the config's `[translation] engine`)."""

# ctranslate2: built in (CTranslate2 + SentencePiece); argos: through argostranslate, which
# needs the heavy `newsreader[argos]` extra.
ENGINES = ("ctranslate2", "argos")
