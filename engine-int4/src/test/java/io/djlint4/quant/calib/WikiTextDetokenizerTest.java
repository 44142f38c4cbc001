package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WikiTextDetokenizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "a well @-@ known fact|a well-known fact",
        "1 @,@ 000 men and 3 @.@ 5 km|1,000 men and 3.5 km",
        "red , green . blue ; cyan : yes ! no ?|red, green. blue; cyan: yes! no?",
        "60 cm ( 24 in ) and [ 1 ] { x }|60 cm (24 in) and [1] {x}",
        "becoming \" lobster red \" on cooking|becoming \"lobster red\" on cooking",
        "say \" a \" and \" b \" .|say \"a\" and \"b\".",
        "the lobster 's claws and the Jones ' house|the lobster's claws and the Jones' house",
        "I 'm sure we 've gone , do n't|I'm sure we've gone, don't",
        "` = = Biology = = `|== Biology ==",
        "10 % of 5 ° C|10% of 5 ° C",
        "a <unk> lobster|a <unk> lobster",
    })
    void joinsTokensAsRunningText(String tokens, String text) {
        assertEquals(text, WikiTextDetokenizer.detokenize(tokens));
    }

    @Test
    void keepsLinesAndDropsTheirPadding() {
        assertEquals("\n= Title =\n\nOne. Two.\n",
                WikiTextDetokenizer.detokenize(" \n = Title = \n \n One . Two . \n"));
    }

    @Test
    void quotesPairWithinALineOnly() {
        assertEquals("he said \"yes\nand \"no\"",
                WikiTextDetokenizer.detokenize("he said \" yes\nand \" no \""));
    }

    @Test
    void recognisesTheFormatByItsSeparators() {
        assertTrue(WikiTextDetokenizer.isTokenized("a 2 @,@ 000 b"));
        assertTrue(WikiTextDetokenizer.isTokenized("x\nwell @-@ known"));
        assertFalse(WikiTextDetokenizer.isTokenized("mail me @ home , a@-@b"));
        assertEquals("say ( a , b )", WikiTextDetokenizer.prepare("say ( a , b )"));
        assertEquals("say (a-b, c)", WikiTextDetokenizer.prepare("say ( a @-@ b , c )"));
    }
}
