"""Thai conventions: Buddhist Era dates, the government fiscal year, baht amounts and national ID numbers.

Everything here is pure Python (no database, no settings) so it can be used from forms, templates,
importers and the demo data generator alike. Bad user input raises a subclass of
:class:`~chumchon.core.thai.errors.ThaiInputError` whose message is Thai first, English second.
"""
