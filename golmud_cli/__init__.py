"""gtx: the paperwork of Golmud's municipal e-government IT projects (格政办〔2023〕15号)."""

__version__ = "0.1.0"
