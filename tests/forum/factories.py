import factory
from django.utils.text import slugify

from config.markdown import render_markdown
from forum.models import Answer, Category, Comment, FaqEntry, Question, Tag
from search.vectors import vector_update
from tests.factories import MemberFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "A product area."


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    author = factory.SubFactory(MemberFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"How do I configure the widget number {n}?")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    body = "I tried the settings page but nothing happens."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        if create:  # what the services do (PostgreSQL only)
            vector_update(Question.objects.filter(pk=self.pk))


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer
        skip_postgeneration_save = True

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(MemberFactory)
    body = "Open Settings, then Widgets, and press Save."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        if create:
            vector_update(Answer.objects.filter(pk=self.pk), title=None)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    author = factory.SubFactory(MemberFactory)
    target = factory.SubFactory(QuestionFactory)
    body = "Which version do you use?"
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"How do I reset my password {n}?")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    body = "Use the *Forgot password* link."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        if create:
            vector_update(FaqEntry.objects.filter(pk=self.pk))
