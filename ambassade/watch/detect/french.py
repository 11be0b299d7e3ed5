"""French function words: never a topic cue, and a brand spelled like one ("Elle") counts
only where it is written with its capital."""

FUNCTION_WORDS = frozenset("""
a alors au aussi autre autres aux avant avec avoir avais avait bien beaucoup car ce cela celle celles celui ces cet
cette ceux chez comme comment dans de des donc dont du elle elles en encore entre est et eux fait faire fois font
hors ici il ils je jamais juste la le les leur leurs lui ma mais me mes mien moi moins mon ne nos notre nous on ou
par parce pas peu peut plus pour pourquoi quand que quel quelle quelles quels qui quoi sa sans se ses sera si son
sont sous suis sur ta te tant tes toi ton tous tout toute toutes tres trop tu un une vos votre vous vraiment deja ete
etre etait meme ceci voici voila toujours rien chose choses ans jour jours aujourd hui demain hier bon bonne
vais vas va allez ai as avons avez ont premier premiers premiere pas car entree
""".split())
