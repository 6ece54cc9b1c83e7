"""The local directory: Défenseur des droits permanences and local partners, from the
official open data (DILA "Base de données locales", Licence Ouverte 2.0)."""
